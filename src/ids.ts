import { base58 } from "@scure/base";

/** Random, unguessable ids with a readable type prefix: `key_3ZxY…`. */
export function newId(prefix: "key" | "api" | "ws" | "id" | "perm" | "role" | "root" | "rl" | "rlns" | "rlo" | "log" | "req"): string {
  return `${prefix}_${base58.encode(crypto.getRandomValues(new Uint8Array(12)))}`;
}
