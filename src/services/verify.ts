import { type Caller, mayVerifyKeysOf } from "../auth/caller";
import { askKeyState } from "../counters/client";
import { hashKey } from "../crypto/keys";
import type { Env } from "../env";
import { lookupKeyByHash } from "../store/keyLookup";
import type { VerifyRequest, VerifyResult } from "../verify/decide";
import type { Lease } from "../verify/lease";
import { LeaseBook } from "./leaseBook";

export type VerifyInput = Omit<VerifyRequest, "keyId" | "lease"> & {
  key: string;
  /** When set, the key must belong to this api. */
  apiId?: string;
  /**
   * Unkey v2: the root key asking. A key it may not verify (another workspace's, or of an api its
   * `verify_key` permissions do not cover) is NOT_FOUND, as if it did not exist.
   */
  askedBy?: Caller;
};

type WaitUntil = Pick<ExecutionContext, "waitUntil">;

/** This isolate's edge-mode leases, shared by every request it serves. */
const leases = new LeaseBook();
/**
 * The call to each edge-mode key's object this isolate has in flight (a hop or a renewal): a
 * verify its lease cannot answer waits for that call's lease before making its own, so that a
 * burst makes one call, not one each.
 */
const inFlight = new Map<string, Promise<unknown>>();

/**
 * The verify pipeline every entry point shares (Unkey route, dialects, gateway): hash the key,
 * resolve it through the caches, then let the key's Durable Object decide, or, in edge mode,
 * the lease it lent this isolate. A dependency that fails makes this throw a 503 KeygateError:
 * never a VALID it could not check.
 */
export async function verifyKey(env: Env, input: VerifyInput, ctx?: WaitUntil): Promise<VerifyResult> {
  const ref = await lookupKeyByHash(env.DB, env.KEY_CACHE, hashKey(input.key), ctx);
  if (!ref) return { valid: false, code: "NOT_FOUND" };
  if (input.apiId !== undefined && input.apiId !== ref.apiId) return { valid: false, code: "FORBIDDEN" };
  if (input.askedBy && !mayVerifyKeysOf(input.askedBy, ref)) return { valid: false, code: "NOT_FOUND" };
  const { key: _plaintext, apiId: _apiId, askedBy: _askedBy, ...asked } = input;
  const request: VerifyRequest = { ...asked, keyId: ref.keyId };

  const local = leases.answer(ref.keyId, request, Date.now());
  if (local) {
    if (ctx && leases.wantsRenewal(ref.keyId, Date.now())) ctx.waitUntil(track(ref.keyId, renew(env, ref.keyId)));
    return local;
  }
  if (!leases.knows(ref.keyId)) return hop(env, request);
  const pending = inFlight.get(ref.keyId);
  if (pending) {
    await pending.catch(() => undefined);
    const afterWait = leases.answer(ref.keyId, request, Date.now());
    if (afterWait) return afterWait;
  }
  return track(ref.keyId, hop(env, request));
}

/** Asks the key's object, handing back and reporting what this isolate holds of the key. */
async function hop(env: Env, request: VerifyRequest): Promise<VerifyResult> {
  const report = leases.report(request.keyId, Date.now());
  const result = await askKeyState<VerifyResult>(env, request.keyId, (state) => state.verify(report ? { ...request, lease: report } : request));
  // Strict mode: no lease either way, and nothing to copy.
  if (!result.lease && !report) return result;
  const { lease, ...answer } = result;
  leases.accept(request.keyId, lease, Date.now());
  return answer;
}

function track<T>(keyId: string, call: Promise<T>): Promise<T> {
  inFlight.set(keyId, call);
  const forget = () => {
    if (inFlight.get(keyId) === call) inFlight.delete(keyId);
  };
  call.then(forget, forget);
  return call;
}

/** Renews a key's lease in the background; if that fails, the lease runs out and a later verify takes the hop. */
async function renew(env: Env, keyId: string): Promise<void> {
  const report = leases.report(keyId, Date.now(), true)!;
  try {
    const lease = await askKeyState<Lease | null>(env, keyId, (state) => state.renewLease(keyId, report));
    leases.accept(keyId, lease ?? undefined, Date.now());
  } catch {
    leases.renewalFailed(keyId);
  }
}
