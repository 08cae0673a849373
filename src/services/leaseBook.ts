import { DAY_MS } from "../time";
import type { VerifyRequest, VerifyResult } from "../verify/decide";
import { decideFromLease, type Lease, type LeaseRequest, type LeaseReturn, type LocalCount } from "../verify/lease";

/** Keys whose leases one isolate keeps; the least recently used beyond this is returned and dropped. */
const HELD_KEYS = 1_000;

interface Held {
  lease: Lease;
  /** When the lease arrived, by this isolate's clock: the start of its use, for the observed rate. */
  since: number;
  /** Units spent per limit name, and credits, from this lease. */
  spent: Map<string, number>;
  creditsSpent: number;
  renewing: boolean;
}

interface KeyLeases {
  current?: Held;
  /** Leases this isolate will not spend from again, to return on its next call to the key's object. */
  finished: LeaseReturn[];
  /** Verifications answered here and not reported yet, by day, outcome and tags. */
  counts: Map<string, LocalCount>;
}

/**
 * One isolate's leases (edge mode): it answers a key's verifies from the key's lease while it is
 * valid and holds what they need, and keeps what to give back and report on the next call to the
 * key's object (a hop or a renewal).
 */
export class LeaseBook {
  private readonly keys = new Map<string, KeyLeases>();

  /** The answer from the key's lease, or undefined when the key's object must decide. */
  answer(keyId: string, request: VerifyRequest, now: number): VerifyResult | undefined {
    const entry = this.keys.get(keyId);
    const held = entry?.current;
    if (!entry || !held) return undefined;
    const decided = decideFromLease(held.lease, request, now);
    if (!decided) return undefined;
    for (const { name, cost } of decided.spend?.limits ?? []) {
      const leased = held.lease.limits.find((limit) => limit.name === name)!;
      leased.left -= cost;
      held.spent.set(name, (held.spent.get(name) ?? 0) + cost);
    }
    if (decided.spend && held.lease.credits) {
      held.lease.credits.left -= decided.spend.credits;
      held.creditsSpent += decided.spend.credits;
    }
    this.count(entry, decided.result.code, request.tags, now);
    return decided.result;
  }

  /** True once this isolate has held a lease of the key: the key is in edge mode. */
  knows(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  /** True when the key's lease should be renewed now, in the background: past its renewal time, or half spent. */
  wantsRenewal(keyId: string, now: number): boolean {
    const held = this.keys.get(keyId)?.current;
    if (!held || held.renewing || now >= held.lease.validUntil) return false;
    if (now >= held.lease.renewAt) return true;
    const credits = held.lease.credits;
    if (credits && !credits.exhausted && credits.left * 2 < credits.left + held.creditsSpent) return true;
    return held.lease.limits.some((limit) => !limit.exhausted && limit.left * 2 < limit.left + (held.spent.get(limit.name) ?? 0));
  }

  /**
   * What to send the key's object: the usage under the current lease, the finished leases and
   * the counts, which are then handed over. A renewal keeps spending from the current lease while
   * it is in flight (only one at a time); a verify taking the hop returns it, since its answer
   * brings the next one.
   */
  report(keyId: string, now: number, renewing = false): LeaseRequest | undefined {
    const entry = this.keys.get(keyId);
    if (!entry) return undefined;
    const held = entry.current;
    const seconds = held ? Math.max(now - held.since, 1) / 1000 : 1;
    const usedPerSecond = {
      limits: held ? held.lease.limits.map((limit) => ({ name: limit.name, perSecond: (held.spent.get(limit.name) ?? 0) / seconds })) : [],
      credits: held ? held.creditsSpent / seconds : 0,
    };
    if (held && renewing) held.renewing = true;
    else if (held) {
      entry.finished.push(unspent(held.lease));
      entry.current = undefined;
    }
    const request: LeaseRequest = { usedPerSecond, returning: entry.finished, counts: [...entry.counts.values()] };
    entry.finished = [];
    entry.counts = new Map();
    return request;
  }

  /**
   * Takes the lease that came with an answer or a renewal (or none: the key is gone or strict);
   * the one it replaces is finished, and what is left of it goes back on the next call.
   */
  accept(keyId: string, lease: Lease | undefined, now: number): void {
    const entry: KeyLeases = this.keys.get(keyId) ?? { finished: [], counts: new Map() };
    this.keys.delete(keyId);
    if (entry.current) entry.finished.push(unspent(entry.current.lease));
    entry.current = lease && { lease, since: now, spent: new Map(), creditsSpent: 0, renewing: false };
    if (entry.current || entry.finished.length > 0 || entry.counts.size > 0) this.keys.set(keyId, entry);
    if (this.keys.size > HELD_KEYS) this.keys.delete(this.keys.keys().next().value!);
  }

  /** A renewal that failed: the lease runs to its end, and the next verify after that takes the hop. */
  renewalFailed(keyId: string): void {
    const held = this.keys.get(keyId)?.current;
    if (held) held.renewing = false;
  }

  private count(entry: KeyLeases, outcome: VerifyResult["code"], tags: string[] | undefined, now: number): void {
    const day = Math.floor(now / DAY_MS);
    const bucket = `${day}:${outcome}:${JSON.stringify(tags ?? [])}`;
    const counted = entry.counts.get(bucket);
    if (counted) counted.count++;
    else entry.counts.set(bucket, { at: now, outcome, tags, count: 1 });
  }
}

function unspent(lease: Lease): LeaseReturn {
  return { id: lease.id, limits: lease.limits.map((limit) => ({ name: limit.name, left: limit.left })), credits: lease.credits?.left ?? 0 };
}
