import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import type { NamedRatelimitState } from "../verify/decide";
import { CachedKv } from "./cachedKv";
import { attemptCharges, type LimitCharge, refundCharges } from "./windows";

export interface LimitOutcome {
  allowed: boolean;
  denied?: string;
  states: NamedRatelimitState[];
  chargedAt: number;
}

/**
 * Sliding-window limits that are not one key's: an identity's limits, shared by all its keys,
 * and standalone `ratelimits.limit` identifiers (see the names below).
 */
export class Limiter extends DurableObject<Env> {
  /** Read from memory, written through to storage. */
  private readonly windows = new CachedKv(this.ctx.storage.kv);

  consume(charges: LimitCharge[]): LimitOutcome {
    const now = Date.now();
    const attempt = attemptCharges(this.windows, charges, now);
    if (attempt.allowed) attempt.commit();
    return { allowed: attempt.allowed, denied: attempt.denied, states: attempt.states, chargedAt: now };
  }

  refund(charges: LimitCharge[], chargedAt: number): void {
    refundCharges(this.windows, charges, chargedAt);
  }
}

/**
 * Object names are JSON arrays of their parts: callers choose namespaces and identifiers freely,
 * so no separator could keep `("a:b", "c")` and `("a", "b:c")` apart, but JSON's quoting does.
 */
export function identityLimiterName(identityId: string): string {
  return JSON.stringify(["identity", identityId]);
}

export function namespaceLimiterName(workspaceId: string, namespace: string, identifier: string): string {
  return JSON.stringify(["ns", workspaceId, namespace, identifier]);
}
