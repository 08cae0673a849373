import { badRequest } from "../errors";
import type { KeyPolicy, LimitConfig } from "../store/policy";
import { ipAllowed } from "./ipAllowlist";
import { evaluatePermissionQuery, type PermissionQuery } from "./permissionQuery";

export type VerifyCode =
  | "VALID"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "USAGE_EXCEEDED"
  | "RATE_LIMITED"
  | "DISABLED"
  | "INSUFFICIENT_PERMISSIONS"
  | "EXPIRED";

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
  /** When set, the key must belong to this environment. */
  environment?: string;
  clientIp?: string;
}

export interface RatelimitState {
  limit: number;
  remaining: number;
  reset: number;
}

/** The one internal verify outcome; every dialect renders it in its own shape. */
export interface VerifyResult {
  valid: boolean;
  code: VerifyCode;
  keyId?: string;
  apiId?: string;
  workspaceId?: string;
  name?: string;
  ownerId?: string;
  meta?: Record<string, unknown>;
  expires?: number;
  createdAt?: number;
  ratelimit?: RatelimitState;
  /** Every limit checked, by name, for callers that expose them (the gateway's headers). */
  ratelimits?: Record<string, RatelimitState>;
  remaining?: number;
  enabled?: boolean;
  permissions?: string[];
  roles?: string[];
  environment?: string;
  tier?: string;
  identity?: { id: string; externalId: string; meta: Record<string, unknown> };
}

/**
 * The checks that need no counter, in the order the answer is decided: a deleted key does not
 * exist; then disabled (or revoked), expired, wrong environment, address not allowed, and
 * missing permissions. Rate limits and then credits come after these (see counters/keyState).
 */
export function checkAccess(policy: KeyPolicy, request: VerifyRequest, now: number): VerifyCode | undefined {
  if (policy.deleted) return "NOT_FOUND";
  if (!policy.enabled || policy.revokedAt !== null) return "DISABLED";
  if (policy.expires !== null && policy.expires <= now) return "EXPIRED";
  if (request.environment !== undefined && policy.environment !== request.environment) return "FORBIDDEN";
  if (!ipAllowed(policy.ipAllowlists, request.clientIp)) return "FORBIDDEN";
  if (request.permissions !== undefined && !evaluatePermissionQuery(request.permissions, new Set(policy.permissions))) {
    return "INSUFFICIENT_PERMISSIONS";
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
 * on its identity. Asking for a limit that is configured nowhere is the caller's error.
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
    const onKey = asked.name === DEFAULT_LIMIT ? policy.ratelimit : policy.keyLimits[asked.name];
    const onIdentity = policy.identityLimits[asked.name];
    if (onKey) planned.set(asked.name, { scope: "key", name: asked.name, config: onKey, cost });
    else if (onIdentity) planned.set(asked.name, { scope: "identity", name: asked.name, config: onIdentity, cost });
    else throw badRequest(`ratelimits: no limit named "${asked.name}" on this key or its identity; give limit and duration for an ad-hoc limit`);
  }
  return [...planned.values()];
}

/** The fields every answer about an existing key carries, valid or not. */
export function describeKey(policy: KeyPolicy): Omit<VerifyResult, "valid" | "code"> {
  return {
    keyId: policy.id,
    apiId: policy.apiId,
    workspaceId: policy.workspaceId,
    name: policy.name ?? undefined,
    ownerId: policy.ownerId ?? policy.identity?.externalId ?? undefined,
    meta: policy.meta ?? undefined,
    expires: policy.expires ?? undefined,
    createdAt: policy.createdAt,
    enabled: policy.enabled && policy.revokedAt === null,
    permissions: policy.permissions,
    roles: policy.roles,
    environment: policy.environment ?? undefined,
    tier: policy.tier ?? policy.identity?.tier ?? undefined,
    identity: policy.identity
      ? { id: policy.identity.id, externalId: policy.identity.externalId, meta: policy.identity.meta }
      : undefined,
  };
}

/** The limit to report in `ratelimit`: the one that denied, or the one with the least left. */
export function tightest(states: RatelimitState[]): RatelimitState | undefined {
  let best: RatelimitState | undefined;
  for (const state of states) {
    if (!best || state.remaining < best.remaining) best = state;
  }
  return best;
}
