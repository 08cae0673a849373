import { badRequest } from "../errors";
import type { KeyPolicy, LimitConfig, NamedLimitConfig, RefillConfig } from "../store/policy";
import { ipAllowed } from "./ipAllowlist";
import type { Lease, LeaseRequest } from "./lease";
import { evaluatePermissionQuery, type PermissionQuery } from "./permissionQuery";

export type VerifyCode = "VALID" | "NOT_FOUND" | "FORBIDDEN" | "USAGE_EXCEEDED" | "RATE_LIMITED" | "DISABLED" | "INSUFFICIENT_PERMISSIONS" | "EXPIRED";

export interface RatelimitRequest {
  name: string;
  cost?: number;
  limit?: number;
  duration?: number;
}

/** What a caller asks of a key, once the key has been found. */
export interface VerifyRequest {
  keyId: string;
  permissions?: PermissionQuery;
  /** Credits to consume; 0 = free. */
  creditCost: number;
  /** Cost against the key's own `ratelimit` ("default"). */
  ratelimitCost: number;
  ratelimits?: RatelimitRequest[];
  /** Named limits (cost 1) checked only where the key or its identity configures them; others are skipped. */
  optionalRatelimits?: string[];
  /** When set, the key must belong to this environment. */
  environment?: string;
  clientIp?: string;
  /** Kept with the verification's count, for analytics by tag. */
  tags?: string[];
  /** Edge mode: what the asking isolate reports and asks for; absent while it holds no lease of this key. */
  lease?: LeaseRequest;
}

export interface RatelimitState {
  limit: number;
  remaining: number;
  reset: number;
}

export interface NamedRatelimitState extends RatelimitState {
  name: string;
  duration: number;
  /** This limit refused the verify. */
  exceeded?: true;
}

/** The one internal verify outcome; every dialect renders it in its own shape. */
export interface VerifyResult {
  valid: boolean;
  code: VerifyCode;
  keyId?: string;
  apiId?: string;
  workspaceId?: string;
  name?: string;
  last4?: string;
  ownerId?: string;
  meta?: Record<string, unknown>;
  expires?: number;
  createdAt?: number;
  ratelimit?: RatelimitState;
  /** Every limit checked, in the order checked. */
  ratelimits?: NamedRatelimitState[];
  remaining?: number;
  /** How credits come back, so a gateway can say when to retry. */
  refill?: RefillConfig;
  enabled?: boolean;
  permissions?: string[];
  roles?: string[];
  environment?: string;
  tier?: string;
  /** The named limits configured for the key: its own, else its identity's. */
  namedLimits?: Map<string, NamedLimitConfig>;
  /** FORBIDDEN because the key or its api has an IP allowlist and the request named no client address. */
  addressUnknown?: true;
  identity?: { id: string; externalId: string; meta: Record<string, unknown> };
  /** Edge mode: lent with the answer, for the isolate to answer the key's next verifies itself. */
  lease?: Lease;
}

/** Why a key was refused before any counter: its code, and for an allowlist, whether the address was unknown. */
export type AccessDenial = Pick<VerifyResult, "code" | "addressUnknown">;

/**
 * The checks that need no counter, in the order the answer is decided: a deleted key does not
 * exist; then disabled (or revoked), expired, wrong environment, address not allowed, and
 * missing permissions. Rate limits and then credits come after these (see counters/keyState).
 */
export function checkAccess(policy: KeyPolicy, request: VerifyRequest, now: number): AccessDenial | undefined {
  if (policy.deleted) return { code: "NOT_FOUND" };
  if (!policy.enabled) return { code: "DISABLED" };
  if (policy.expires !== null && policy.expires <= now) return { code: "EXPIRED" };
  if (request.environment !== undefined && policy.environment !== request.environment) return { code: "FORBIDDEN" };
  if (!ipAllowed(policy.ipAllowlists, request.clientIp))
    return request.clientIp === undefined ? { code: "FORBIDDEN", addressUnknown: true } : { code: "FORBIDDEN" };
  if (request.permissions !== undefined && !evaluatePermissionQuery(request.permissions, new Set([...policy.permissions, ...policy.permissionSlugs]))) {
    return { code: "INSUFFICIENT_PERMISSIONS" };
  }
  return undefined;
}

export interface PlannedLimit {
  /** Key limits are counted in the key's Durable Object, identity limits in the identity's. */
  scope: "key" | "identity";
  name: string;
  config: LimitConfig;
  cost: number;
}

export const DEFAULT_LIMIT = "default";

/**
 * Which limits one verify is checked against: the key's own `ratelimit` always, plus each
 * requested name, either ad hoc (limit and duration given) or as configured on the key, then
 * on its identity, plus every configured limit marked autoApply (at cost 1 unless requested).
 * Asking for a limit that is configured nowhere is the caller's error, except for the optional
 * names (the gateway's `read` / `write`), which only apply where they exist.
 */
export function planLimits(policy: KeyPolicy, request: VerifyRequest): PlannedLimit[] {
  const planned = new Map<string, PlannedLimit>();
  if (policy.ratelimit) {
    planned.set(DEFAULT_LIMIT, { scope: "key", name: DEFAULT_LIMIT, config: policy.ratelimit, cost: request.ratelimitCost });
  }
  for (const asked of request.ratelimits ?? []) {
    const cost = asked.cost ?? 1;
    if (asked.limit !== undefined && asked.duration !== undefined) {
      planned.set(asked.name, { scope: "key", name: asked.name, config: { limit: asked.limit, duration: asked.duration }, cost });
      continue;
    }
    const configured = configuredLimit(policy, asked.name, cost);
    if (!configured) throw badRequest(`ratelimits: no limit named "${asked.name}" on this key or its identity; give limit and duration for an ad-hoc limit`);
    planned.set(asked.name, configured);
  }
  for (const name of request.optionalRatelimits ?? []) {
    const configured = planned.has(name) ? undefined : configuredLimit(policy, name, 1);
    if (configured) planned.set(name, configured);
  }
  for (const name of autoAppliedNames(policy)) {
    if (!planned.has(name)) planned.set(name, configuredLimit(policy, name, 1)!);
  }
  return [...planned.values()];
}

/** The limits a verify is checked against unasked: autoApply ones, the key's before its identity's of the same name. */
function autoAppliedNames(policy: KeyPolicy): string[] {
  const names = [...policy.keyLimits].filter(([, config]) => config.autoApply).map(([name]) => name);
  for (const [name, config] of policy.identityLimits) if (config.autoApply && !keyLimit(policy, name)) names.push(name);
  return names;
}

/** The key's own limit of this name: its v1 `ratelimit` is the one named "default". */
export function keyLimit(policy: KeyPolicy, name: string): LimitConfig | undefined {
  return (name === DEFAULT_LIMIT ? policy.ratelimit : undefined) ?? policy.keyLimits.get(name);
}

/** A limit as configured on the key, else on its identity. */
function configuredLimit(policy: KeyPolicy, name: string, cost: number): PlannedLimit | undefined {
  const onKey = keyLimit(policy, name);
  if (onKey) return { scope: "key", name, config: onKey, cost };
  const onIdentity = policy.identityLimits.get(name);
  return onIdentity ? { scope: "identity", name, config: onIdentity, cost } : undefined;
}

/** The fields every answer about an existing key carries, valid or not. */
export function describeKey(policy: KeyPolicy): Omit<VerifyResult, "valid" | "code"> {
  return {
    keyId: policy.id,
    apiId: policy.apiId,
    workspaceId: policy.workspaceId,
    name: policy.name ?? undefined,
    last4: policy.last4,
    ownerId: policy.ownerId ?? policy.identity?.externalId ?? undefined,
    meta: policy.meta ?? undefined,
    expires: policy.expires ?? undefined,
    createdAt: policy.createdAt,
    enabled: policy.enabled,
    permissions: policy.permissions,
    roles: policy.roles,
    environment: policy.environment ?? undefined,
    tier: policy.tier ?? policy.identity?.tier ?? undefined,
    refill: policy.refill ?? undefined,
    namedLimits: new Map([...policy.identityLimits, ...policy.keyLimits]),
    identity: policy.identity ? { id: policy.identity.id, externalId: policy.identity.externalId, meta: policy.identity.meta } : undefined,
  };
}

/** Whole seconds from `now` until the unix-ms time `at`, rounded up; 0 once it has passed. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** The limit to report in `ratelimit`: the one that denied, or the one with the least left. */
export function tightest(states: RatelimitState[]): RatelimitState | undefined {
  let best: RatelimitState | undefined;
  for (const state of states) {
    if (!best || state.remaining < best.remaining) best = state;
  }
  return best;
}
