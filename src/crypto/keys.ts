import { sha256 } from "@noble/hashes/sha2.js";
import { base58, base64 } from "@scure/base";

export const DEFAULT_BYTE_LENGTH = 16;

export interface IssuedKey {
  /** Shown once to the caller, never stored. */
  plaintext: string;
  hash: string;
  start: string;
  last4: string;
}

/**
 * A new key: optional readable prefix + base58 of CSPRNG bytes. Only its hash is kept. Bitcoin's
 * base58 alphabet has no 0/O/I/l, so keys survive being read aloud or retyped.
 */
export function issueKey(prefix: string | undefined, byteLength = DEFAULT_BYTE_LENGTH): IssuedKey {
  const secret = base58.encode(crypto.getRandomValues(new Uint8Array(byteLength)));
  const plaintext = prefix ? `${prefix}_${secret}` : secret;
  return {
    plaintext,
    hash: hashKey(plaintext),
    start: plaintext.slice(0, (prefix ? prefix.length + 1 : 0) + 4),
    last4: plaintext.slice(-4),
  };
}

const encoder = new TextEncoder();

/** Base64 of the SHA-256 of the key: the only form in which a key is stored or cached. */
export function hashKey(plaintext: string): string {
  return base64.encode(sha256(encoder.encode(plaintext)));
}
