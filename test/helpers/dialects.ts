import { env } from "cloudflare:test";
import { call, post } from "./harness";

/** Calls to the three other API dialects, as their clients send them (no root key). */

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export const kombo = (headers: Record<string, string>) => call("GET", "/v1/check-api-key", { rootKey: null, headers });

export const konpro = (headers: Record<string, string>, rawBody?: string) => call("POST", "/v1/api-keys/validate", { rootKey: null, headers, rawBody });

export const kirim = (headers: Record<string, string>) => call("GET", "/v1/me", { rootKey: null, headers });

/** Each way of sending a Bearer header wrong, down to a token far longer than any key. */
export const malformedAuthorization: [string, Record<string, string>][] = [
  ["no header", {}],
  ["no scheme", { authorization: "sk_test_3vQB7B6MrGQZaxCuFg4oh" }],
  ["wrong scheme", { authorization: "Basic dXNlcjpwYXNz" }],
  ["empty token", { authorization: "Bearer " }],
  ["scheme alone", { authorization: "Bearer" }],
  ["10 kB token", { authorization: `Bearer ${"k".repeat(10 * 1024)}` }],
];

/** Moves a key's expiry into the past, as time would (updateKey refuses a past expiry). */
export async function expireKey(keyId: string) {
  await env.DB.prepare("UPDATE keys SET expires = ? WHERE id = ?")
    .bind(Date.now() - 1, keyId)
    .run();
  await touchKey(keyId);
}

/** Marks a key revoked in D1, as keys.revokeKey does. */
export async function revokeKeyInD1(keyId: string) {
  await env.DB.prepare("UPDATE keys SET revoked_at = ?, enabled = 0 WHERE id = ?").bind(Date.now(), keyId).run();
  await touchKey(keyId);
}

/** A management write, so the key's Durable Object reloads what D1 now says. */
async function touchKey(keyId: string) {
  const res = await post("/v1/keys.updateKey", { keyId, name: "touched" });
  if (res.status !== 200) throw new Error(`updateKey failed: ${JSON.stringify(res.body)}`);
}
