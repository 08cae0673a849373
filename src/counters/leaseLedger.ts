import type { KeyPolicy, LimitConfig } from "../store/policy";
import { DEFAULT_LIMIT, keyLimit } from "../verify/decide";
import { type Lease, type LeasedLimit, type LeaseRequest, type LeaseReturn, leaseSize } from "../verify/lease";
import type { CounterStorage } from "./cachedKv";
import type { KeyCredits } from "./keyCredits";
import { attemptCharges, refundCharges, windowLeft } from "./windows";

interface Lent {
  validUntil: number;
  limits: { name: string; config: LimitConfig; units: number; chargedAt: number }[];
  credits: number;
}

/** Leases not yet returned that are remembered; an older one's units stay charged until its windows pass. */
const REMEMBERED_LEASES = 256;
/**
 * How long after its end a lease may still be returned. An isolate returns a lease on its next
 * call to the object; past this, its isolate is taken for dead and what it held is lost.
 */
export const LEASE_RETURN_GRACE_MS = 60 * 60_000;

/**
 * The leases a key's object has granted and not had back. Units are charged when lent, in the
 * bucket of the lease's end (the latest time they can be spent), so every window that may hold a
 * spend counts them: the limit is never over-admitted, whoever spends them. Unspent units come
 * back when the isolate returns the lease; units of a lease never returned (its isolate died)
 * stay charged: a bounded under-admission, never an over-admission or an overspend.
 */
export class LeaseLedger {
  private readonly lent = new Map<string, Lent>();

  constructor(
    private readonly storage: CounterStorage,
    private readonly credits: KeyCredits,
  ) {}

  /**
   * Credits lent and not returned. A reset of the count (a new value from management, a refill)
   * leaves them out, since they may yet be spent, and they are added back when returned unspent.
   */
  get lentCredits(): number {
    let total = 0;
    for (const lease of this.lent.values()) total += lease.credits;
    return total;
  }

  /** Takes back what the isolate did not spend; a lease is settled at most once. */
  settle(policy: KeyPolicy, returning: LeaseReturn[], now: number): void {
    this.forgetAbandoned(now);
    for (const back of returning) {
      const lease = this.lent.get(back.id);
      if (!lease) continue;
      this.lent.delete(back.id);
      for (const limit of lease.limits) {
        const unspent = Math.min(limit.units, back.limits.find((returned) => returned.name === limit.name)?.left ?? 0);
        if (unspent > 0) refundCharges(this.storage, [{ name: limit.name, config: limit.config, cost: unspent }], limit.chargedAt);
      }
      const unspentCredits = Math.min(lease.credits, back.credits);
      if (unspentCredits > 0) this.credits.giveBack(policy, unspentCredits, now);
    }
  }

  /**
   * Lends the policy and units sized to the isolate's use for `boundMs`. Only the key's own
   * limits are lent: the default one, the autoApply ones, and named ones the isolate has used.
   */
  grant(policy: KeyPolicy, asked: LeaseRequest["usedPerSecond"], boundMs: number, now: number): Lease {
    this.forgetAbandoned(now);
    const validUntil = now + boundMs;
    const holders = this.holders(now);
    const limits: LeasedLimit[] = [];
    const lent: Lent = { validUntil, limits: [], credits: 0 };
    const lend = (name: string, config: LimitConfig, perSecond: number) => {
      const { left, reset } = windowLeft(this.storage, { name, config }, now);
      const units = leaseSize(perSecond, boundMs, left, holders);
      if (units > 0) {
        attemptCharges(this.storage, [{ name, config, cost: units }], now, validUntil).commit();
        lent.limits.push({ name, config, units, chargedAt: validUntil });
      }
      limits.push({ name, config, left: units, exhausted: units === left, keptByObject: left - units, reset });
    };
    const perSecond = (name: string) => asked.limits.find((limit) => limit.name === name)?.perSecond ?? 0;
    const alwaysChecked = [...policy.keyLimits].filter(([, config]) => config.autoApply).map(([name]) => name);
    const legacy = policy.ratelimit ? [DEFAULT_LIMIT] : [];
    for (const name of new Set([...legacy, ...alwaysChecked, ...asked.limits.map((limit) => limit.name)])) {
      const config = keyLimit(policy, name);
      if (config) lend(name, config, perSecond(name));
    }

    let credits: Lease["credits"] = null;
    const live = policy.creditsFrom ? null : this.credits.live(policy, now);
    if (live) {
      const units = leaseSize(asked.credits, boundMs, live.remaining, holders);
      if (units > 0) this.credits.spend(policy, units, now);
      lent.credits = units;
      credits = { left: units, exhausted: units === live.remaining, keptByObject: live.remaining - units };
    }

    const id = crypto.randomUUID();
    this.remember(id, lent);
    return { id, policy, validUntil, renewAt: now + boundMs / 2, limits, credits };
  }

  /** Isolates holding a lease that has not ended. */
  private holders(now: number): number {
    let holding = 0;
    for (const lease of this.lent.values()) if (lease.validUntil > now) holding++;
    return holding;
  }

  /** Units of a forgotten lease stay charged in their windows until those pass; its credits are lost. */
  private forgetAbandoned(now: number): void {
    for (const [id, lease] of this.lent) if (lease.validUntil + LEASE_RETURN_GRACE_MS < now) this.lent.delete(id);
  }

  private remember(id: string, lease: Lent): void {
    this.lent.set(id, lease);
    if (this.lent.size > REMEMBERED_LEASES) this.lent.delete(this.lent.keys().next().value!);
  }
}
