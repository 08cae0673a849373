import { authorize, type Caller } from "../auth/caller";
import { namespaceLimiterName } from "../counters/limiter";
import type { Env } from "../env";
import { dependency } from "../errors";
import { newId } from "../ids";
import { auditStatement } from "../store/audit";
import { batch, isUniqueViolation } from "../store/db";
import { insertNamespace, namespaceWithOverride } from "../store/ratelimits";

export const DEFAULT_NAMESPACE = "default";
/** The one limit a standalone identifier's Limiter object counts. */
const LIMIT_NAME = "limit";

export interface LimitInput {
  namespace?: string;
  identifier: string;
  limit: number;
  duration: number;
  cost?: number;
}

export interface LimitAnswer {
  success: boolean;
  limit: number;
  remaining: number;
  reset: number;
}

/**
 * Counts `cost` against the identifier's sliding window, in the Limiter object that owns it, so
 * concurrent calls anywhere never admit more than the limit. An override for the identifier
 * replaces the limit and duration given. The namespace is created on first use.
 */
export async function applyLimit(env: Env, caller: Caller, input: LimitInput): Promise<LimitAnswer> {
  const namespace = input.namespace ?? DEFAULT_NAMESPACE;
  const found = await namespaceWithOverride(env.DB, caller.workspaceId, namespace, input.identifier);
  authorize(caller, "ratelimit.*.limit", ...(found ? [`ratelimit.${found.namespace_id}.limit`] : []));
  if (!found) await createNamespace(env, caller, namespace);

  const override = found && found.limit !== null && found.duration !== null ? { limit: found.limit, duration: found.duration } : null;
  const config = override ?? { limit: input.limit, duration: input.duration };
  const limiter = env.LIMITER.get(env.LIMITER.idFromName(namespaceLimiterName(caller.workspaceId, namespace, input.identifier)));
  const outcome = await dependency("Durable Object", () => limiter.consume([{ name: LIMIT_NAME, config, cost: input.cost ?? 1 }]));
  const state = outcome.states[0]!;
  return { success: outcome.allowed, limit: state.limit, remaining: state.remaining, reset: state.reset };
}

async function createNamespace(env: Env, caller: Caller, name: string): Promise<void> {
  const namespaceId = newId("rlns");
  try {
    await batch(env.DB, () => [
      insertNamespace(env.DB, { id: namespaceId, workspace_id: caller.workspaceId, name, created_at: Date.now() }),
      auditStatement(env.DB, caller, {
        event: "ratelimit.namespace.create",
        resources: [{ type: "ratelimitNamespace", id: namespaceId }],
        description: `Created ratelimit namespace "${name}" on its first use.`,
      }),
    ]);
  } catch (err) {
    // A concurrent first call created it: that is just as good.
    if (!isUniqueViolation(err, "ratelimit_namespaces")) throw err;
  }
}
