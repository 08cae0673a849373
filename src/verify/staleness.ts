import type { Env } from "../env";
import type { KeyPolicy } from "../store/policy";

/**
 * How stale a verify of this key may be, in ms: its api's own bound, else the deployment's
 * VERIFY_MAX_STALENESS_MS; 0 (strict mode) when neither is set.
 */
export function stalenessBound(env: Pick<Env, "VERIFY_MAX_STALENESS_MS">, policy: Pick<KeyPolicy, "maxStalenessMs">): number {
  if (policy.maxStalenessMs !== null) return policy.maxStalenessMs;
  const configured = Number(env.VERIFY_MAX_STALENESS_MS ?? "0");
  return Number.isFinite(configured) && configured > 0 ? configured : 0;
}
