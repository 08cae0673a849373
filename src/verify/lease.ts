import type { KeyPolicy, LimitConfig } from "../store/policy";
import { checkAccess, describeKey, type NamedRatelimitState, planLimits, tightest, type VerifyCode, type VerifyRequest, type VerifyResult } from "./decide";

/**
 * Edge mode: a key's Durable Object lends an isolate a policy snapshot and a few units of the
 * key's counters, charged in the object ahead of use, so that the isolate can answer verifies by
 * itself until the lease ends. These are the pure decisions on both sides of that protocol; the
 * protocol itself is described in docs/architecture.md ("Edge mode").
 */

/** Units of one of the key's own limits, charged in its object when the lease was granted. */
export interface LeasedLimit {
  name: string;
  config: LimitConfig;
  /** Units this isolate may still admit. */
  left: number;
  /** The object had nothing beyond these: once they are spent, the isolate denies by itself. */
  exhausted: boolean;
  /** What the object kept after the grant: `remaining` answers are this plus `left`. */
  keptByObject: number;
  /** When the object's window frees its oldest cost, for the answer's `reset`. */
  reset: number;
}

/** Credits charged in the key's object when the lease was granted. */
export interface LeasedCredits {
  left: number;
  exhausted: boolean;
  /** What the object kept after the grant: `remaining` answers are this plus `left`. */
  keptByObject: number;
}

export interface Lease {
  id: string;
  policy: KeyPolicy;
  /** No answer comes from this lease at or after this time; at most the staleness bound after the grant. */
  validUntil: number;
  /** From this time on the isolate renews in the background, so that a steadily used key never waits. */
  renewAt: number;
  limits: LeasedLimit[];
  /** Null when the key has no credit limit. */
  credits: LeasedCredits | null;
}

/** What an isolate sends with each call to a key's object in edge mode. */
export interface LeaseRequest {
  /** Units of each of the key's limits, and credits, it used per second under its last lease. */
  usedPerSecond: { limits: { name: string; perSecond: number }[]; credits: number };
  /** Leases it will not spend from again: their unspent units go back. */
  returning: LeaseReturn[];
  /** Verifications it answered by itself since it last reported, for analytics. */
  counts: LocalCount[];
}

export interface LeaseReturn {
  id: string;
  limits: { name: string; left: number }[];
  credits: number;
}

export interface LocalCount {
  /** Unix ms within the UTC day the verifications were answered. */
  at: number;
  outcome: VerifyCode;
  tags: string[] | undefined;
  count: number;
}

/** What one local answer took from the lease. */
export interface LeaseSpend {
  limits: { name: string; cost: number }[];
  credits: number;
}

/**
 * Answers a verify from the lease alone, or says it cannot (undefined: ask the key's object).
 * It cannot when the lease has ended, when the verify needs a counter the lease does not hold
 * (an ad-hoc limit, an identity's shared limit, the credits of a rerolled key) or more units than
 * are left while the object may have more. It denies by itself only where the object had nothing
 * left when it lent the units.
 */
export function decideFromLease(lease: Lease, request: VerifyRequest, now: number): { result: VerifyResult; spend?: LeaseSpend } | undefined {
  if (now >= lease.validUntil || lease.policy.creditsFrom) return undefined;
  if (request.ratelimits?.some((asked) => asked.limit !== undefined && asked.duration !== undefined)) return undefined;
  const { policy } = lease;
  const key = describeKey(policy);
  const denied = checkAccess(policy, request, now);
  if (denied) return { result: { ...key, valid: false, ...denied } };

  const planned = planLimits(policy, request);
  const uses: { leased: LeasedLimit; cost: number }[] = [];
  for (const limit of planned) {
    const leased = limit.scope === "key" ? lease.limits.find((held) => held.name === limit.name) : undefined;
    if (!leased) return undefined;
    uses.push({ leased, cost: limit.cost });
  }
  const states = (spent: boolean): NamedRatelimitState[] =>
    uses.map(({ leased, cost }) => ({
      name: leased.name,
      limit: leased.config.limit,
      duration: leased.config.duration,
      remaining: Math.max(0, leased.keptByObject + leased.left - (spent ? cost : 0)),
      reset: leased.reset,
    }));
  const short = uses.find(({ leased, cost }) => cost > leased.left);
  if (short) {
    if (!short.leased.exhausted) return undefined;
    const all = states(false).map((state): NamedRatelimitState => (state.name === short.leased.name ? { ...state, exceeded: true } : state));
    const denied = all.find((state) => state.exceeded)!;
    return {
      result: {
        ...key,
        valid: false,
        code: "RATE_LIMITED",
        ratelimit: { limit: denied.limit, remaining: denied.remaining, reset: denied.reset },
        ratelimits: all,
      },
    };
  }
  const credits = lease.credits;
  if (credits && request.creditCost > credits.left) {
    if (!credits.exhausted) return undefined;
    const all = states(false);
    return {
      result: { ...key, valid: false, code: "USAGE_EXCEEDED", ratelimit: tightest(all), ratelimits: all, remaining: credits.keptByObject + credits.left },
    };
  }
  const all = states(true);
  return {
    result: {
      ...key,
      valid: true,
      code: "VALID",
      ratelimit: tightest(all),
      ratelimits: all,
      remaining: credits ? credits.keptByObject + credits.left - request.creditCost : undefined,
    },
    spend: { limits: uses.map(({ leased, cost }) => ({ name: leased.name, cost })), credits: credits ? request.creditCost : 0 },
  };
}

/**
 * How many units to lend one isolate: what it used over the last lease, with headroom, but never
 * more than an even share of what is left among the isolates holding leases and this one, so a
 * small limit shared by many isolates does not starve any of them. 0 means the verify keeps
 * taking the hop, as in strict mode.
 */
export function leaseSize(usedPerSecond: number, leaseMs: number, left: number, holders: number): number {
  const wanted = Math.max(1, Math.ceil((usedPerSecond * leaseMs * LEASE_HEADROOM) / 1000));
  return Math.max(0, Math.min(wanted, Math.floor(left / (holders + 1))));
}

/** Units lent per lease, as a multiple of the isolate's observed use, so that renewal is due before they run out. */
export const LEASE_HEADROOM = 2;
