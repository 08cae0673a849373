import { authorize, type Caller } from "../auth/caller";
import { namespaceLimiterName } from "../counters/limiter";
import type { Env } from "../env";
import { dependency } from "../errors";
import { newId } from "../ids";
import { auditStatement } from "../store/audit";
import { batch, isUniqueViolation } from "../store/db";
import { insertNamespace, type NamespaceBy, namespacesWithOverrides } from "../store/ratelimits";

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

/** One check of Unkey v2's ratelimit.limit or ratelimit.multiLimit. */
export interface LimitCheck extends LimitInput {
  namespace: string;
}

export interface CheckAnswer extends LimitAnswer {
  /** The override that replaced the limit and duration given, if one applied. */
  overrideId?: string;
}

/**
 * Unkey v1's ratelimits.limit: counts `cost` against the identifier's sliding window, in the
 * Limiter object that owns it, so concurrent calls anywhere never admit more than the limit. An
 * override for the identifier replaces the limit and duration given. The namespace is named, and
 * created on first use.
 */
export async function applyLimit(env: Env, caller: Caller, input: LimitInput): Promise<LimitAnswer> {
  const [answer] = await applyLimits(env, caller, [{ ...input, namespace: input.namespace ?? DEFAULT_NAMESPACE }], "name");
  const { overrideId: _v2Only, ...v1Answer } = answer!;
  return v1Answer;
}

/**
 * Counts each check as applyLimit does, each on its own as Unkey v2's multiLimit does: one
 * check's denial does not keep another from being counted. The caller must be allowed every
 * namespace before any check is counted or any namespace created; only `ratelimit.*.limit` may
 * create one. v2 names a namespace by id or by name.
 */
export async function applyLimits(env: Env, caller: Caller, checks: LimitCheck[], namespaceBy: NamespaceBy = "idOrName"): Promise<CheckAnswer[]> {
  const found = await namespacesWithOverrides(env.DB, caller.workspaceId, checks, namespaceBy);
  for (const namespace of found) authorize(caller, "ratelimit.*.limit", ...(namespace ? [`ratelimit.${namespace.namespace_id}.limit`] : []));
  const missing = new Set(checks.filter((_, i) => !found[i]).map((check) => check.namespace));
  await Promise.all([...missing].map((name) => createNamespace(env, caller, name)));

  // The counter is the namespace's by name, whichever way the check named it, so v1 and v2 share it.
  const charges = checks.map((check, i) => {
    const namespace = found[i];
    const override = namespace?.override_id ? { id: namespace.override_id, limit: namespace.limit!, duration: namespace.duration! } : undefined;
    return {
      limiter: namespaceLimiterName(caller.workspaceId, namespace?.namespace_name ?? check.namespace, check.identifier),
      config: override ?? { limit: check.limit, duration: check.duration },
      cost: check.cost ?? 1,
      overrideId: override?.id,
    };
  });

  // Checks of the same counter run in their order, so their answers do too; other counters in parallel.
  const byLimiter = new Map<string, number[]>();
  for (const [i, { limiter }] of charges.entries()) byLimiter.set(limiter, [...(byLimiter.get(limiter) ?? []), i]);
  const answers: CheckAnswer[] = new Array(charges.length);
  await Promise.all(
    [...byLimiter].map(async ([name, indexes]) => {
      const limiter = env.LIMITER.get(env.LIMITER.idFromName(name));
      for (const i of indexes) {
        const { config, cost, overrideId } = charges[i]!;
        const outcome = await dependency("Durable Object", () => limiter.consume([{ name: LIMIT_NAME, config, cost }]));
        const state = outcome.states[0]!;
        answers[i] = { success: outcome.allowed, limit: state.limit, remaining: state.remaining, reset: state.reset, ...(overrideId ? { overrideId } : {}) };
      }
    }),
  );
  return answers;
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
