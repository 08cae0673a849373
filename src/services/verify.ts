import { hashKey } from "../crypto/keys";
import type { Env } from "../env";
import { askKeyState } from "../counters/client";
import { lookupKeyByHash } from "../store/keyLookup";
import type { VerifyRequest, VerifyResult } from "../verify/decide";

export type VerifyInput = Omit<VerifyRequest, "keyId"> & {
  key: string;
  /** When set, the key must belong to this api. */
  apiId?: string;
};

/**
 * The verify pipeline every entry point shares (Unkey route, dialects, gateway): hash the key,
 * resolve it through the caches, then let the key's Durable Object decide. A dependency that
 * fails makes this throw a 503 KeygateError: never a VALID it could not check.
 */
export async function verifyKey(env: Env, input: VerifyInput, ctx?: Pick<ExecutionContext, "waitUntil">): Promise<VerifyResult> {
  const ref = await lookupKeyByHash(env, hashKey(input.key), ctx);
  if (!ref) return { valid: false, code: "NOT_FOUND" };
  if (input.apiId !== undefined && input.apiId !== ref.apiId) return { valid: false, code: "FORBIDDEN" };
  const { key: _plaintext, apiId: _apiId, ...request } = input;
  return askKeyState<VerifyResult>(env, ref.keyId, (state) => state.verify({ ...request, keyId: ref.keyId }));
}
