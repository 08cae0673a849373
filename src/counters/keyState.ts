import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { type Answer, KeygateError, refusal } from "../errors";
import { type KeyPolicy, loadKeyPolicy } from "../store/policy";
import { addVerificationCounts } from "../store/verifications";
import { checkAccess, describeKey, type NamedRatelimitState, planLimits, tightest, type VerifyRequest, type VerifyResult } from "../verify/decide";
import type { Lease, LeaseRequest } from "../verify/lease";
import { stalenessBound } from "../verify/staleness";
import { CachedKv } from "./cachedKv";
import { keyState } from "./client";
import type { CreditOp } from "./credits";
import { IdentityCharge } from "./identityCharge";
import { KeyCharge } from "./keyCharge";
import { KeyCredits } from "./keyCredits";
import { LeaseLedger } from "./leaseLedger";
import { identityLimiterName } from "./limiter";
import { PolicyCache } from "./policyCache";
import { VerificationBuffer } from "./verificationBuffer";

/** What `ratelimit` reports: the limit that denied, or the one with the least left. */
function reported(states: NamedRatelimitState[], denied?: string) {
  const shown = denied === undefined ? tightest(states) : states.find((state) => state.name === denied);
  const ratelimits = states.map((state): NamedRatelimitState => (state.name === denied ? { ...state, exceeded: true } : state));
  return { ratelimit: shown && { limit: shown.limit, remaining: shown.remaining, reset: shown.reset }, ratelimits };
}

/**
 * One key's Durable Object, the single place where a verify is decided. It holds:
 * - the key's policy (PolicyCache), dropped whenever management changes the key, so a disabled,
 *   revoked or deleted key fails on the very next verify;
 * - its credits and rate-limit windows, in synchronous SQLite-backed storage read through
 *   memory (CachedKv), so a check and its charge happen with nothing in between;
 * - its verification counts (VerificationBuffer), flushed to D1 by the alarm.
 */
export class KeyState extends DurableObject<Env> {
  /** Credits and rate-limit windows: read from memory, written through to storage. */
  private readonly counters = new CachedKv(this.ctx.storage.kv);
  private readonly credits: KeyCredits = new KeyCredits(this.counters, () => this.leases.lentCredits);
  private readonly leases: LeaseLedger = new LeaseLedger(this.counters, this.credits);
  private readonly policies = new PolicyCache((keyId) => loadKeyPolicy(this.env.DB, keyId));
  private readonly verifications = new VerificationBuffer(
    (at) => void this.ctx.storage.setAlarm(at),
    (key, counts) => addVerificationCounts(this.env.DB, key, counts),
  );

  // ---- management: fence → write D1 → release ----

  /** Called before a management write to D1: until released, every verify reads D1 afresh. */
  fence(token: string): void {
    this.policies.fence(token);
  }

  /** Called after the write: the next verify loads (and keeps) the new policy. */
  release(token: string): void {
    this.policies.release(token);
  }

  // ---- verify ----

  async verify(request: VerifyRequest): Promise<Answer<VerifyResult>> {
    try {
      return { value: await this.decide(request) };
    } catch (err) {
      return refusal(err, "D1");
    }
  }

  private async decide(request: VerifyRequest): Promise<VerifyResult> {
    const epoch = this.policies.epoch;
    const policy = await this.policies.current(request.keyId);
    if (!policy || policy.deleted) return { valid: false, code: "NOT_FOUND" };
    const now = Date.now();
    if (request.lease) this.receive(policy, request.lease, now);
    const result = await this.decideWith(policy, request, now);
    const lease = this.lend(policy, request, epoch, now);
    return lease ? { ...result, lease } : result;
  }

  private async decideWith(policy: KeyPolicy, request: VerifyRequest, now: number): Promise<VerifyResult> {
    const key = describeKey(policy);
    const denied = checkAccess(policy, request, now);
    if (denied) return this.answer(policy, request.tags, { ...key, valid: false, ...denied }, now);

    const planned = planLimits(policy, request);
    const identityLimits = planned.filter((p) => p.scope === "identity");

    // Synchronous from here to the commit: check every key limit and the credits, then charge.
    const charge = new KeyCharge(
      this.counters,
      planned.filter((p) => p.scope === "key"),
      this.credits.live(policy, now),
      request.creditCost,
      now,
    );
    let states = charge.windows.states;
    if (!charge.windows.allowed) {
      return this.answer(policy, request.tags, { ...key, ...reported(states, charge.windows.denied), valid: false, code: "RATE_LIMITED" }, now);
    }
    if (!charge.creditsFit) {
      return this.answer(
        policy,
        request.tags,
        { ...key, ...reported(states), remaining: charge.credits?.remaining, valid: false, code: "USAGE_EXCEEDED" },
        now,
      );
    }
    charge.commit();
    let remaining = charge.remainingAfter;

    // From the commit on, every way out but VALID refunds: a denial by a shared counter (held in
    // another Durable Object) and any failure alike. In between, a concurrent request can only
    // be denied, never over-admitted.
    let identity: IdentityCharge | undefined;
    try {
      if (identityLimits.length > 0) {
        identity = new IdentityCharge(this.env.LIMITER.get(this.env.LIMITER.idFromName(identityLimiterName(policy.identity!.id))), identityLimits);
        const shared = await identity.consume();
        states = [...states, ...shared.states];
        if (!shared.allowed) {
          charge.refund();
          return this.answer(policy, request.tags, { ...key, ...reported(states, shared.denied), remaining, valid: false, code: "RATE_LIMITED" }, now);
        }
      }
      if (policy.creditsFrom) {
        const spent = await keyState(this.env, policy.creditsFrom).spendCredits(policy.creditsFrom, request.creditCost);
        remaining = spent.remaining ?? undefined;
        if (!spent.allowed) {
          charge.refund();
          await identity?.refund();
          return this.answer(policy, request.tags, { ...key, ...reported(states), remaining, valid: false, code: "USAGE_EXCEEDED" }, now);
        }
      }
      return this.answer(policy, request.tags, { ...key, ...reported(states), remaining, valid: true, code: "VALID" }, now);
    } catch (err) {
      charge.refund();
      await identity?.refund().catch(() => {});
      throw new KeygateError("SERVICE_UNAVAILABLE", "A counter is unavailable; the key was not charged.", { cause: err });
    }
  }

  // ---- edge mode ----

  /**
   * Renews an isolate's lease ahead of its end, taking back what it did not spend; null when the
   * key no longer exists or is not in edge mode.
   */
  async renewLease(keyId: string, request: LeaseRequest): Promise<Answer<Lease | null>> {
    try {
      const epoch = this.policies.epoch;
      const policy = await this.policies.current(keyId);
      if (!policy || policy.deleted) return { value: null };
      const now = Date.now();
      this.receive(policy, request, now);
      return { value: this.lend(policy, { lease: request }, epoch, now) ?? null };
    } catch (err) {
      return refusal(err, "D1");
    }
  }

  /** What an isolate gives back and reports: unspent units, and the verifications it answered. */
  private receive(policy: KeyPolicy, report: LeaseRequest, now: number): void {
    this.leases.settle(policy, report.returning, now);
    for (const counted of report.counts) this.verifications.add(policy, counted.outcome, counted.tags, counted.at, counted.count);
  }

  /**
   * A lease for the key's staleness bound, unless the key is in strict mode, or a management
   * write may have landed since its policy was read (a fence stands, or one came and went).
   */
  private lend(policy: KeyPolicy, request: Pick<VerifyRequest, "lease" | "ratelimits" | "optionalRatelimits">, epoch: number, now: number): Lease | undefined {
    const bound = stalenessBound(this.env, policy);
    if (bound <= 0 || this.policies.fenced || this.policies.epoch !== epoch) return undefined;
    const used = request.lease?.usedPerSecond ?? { limits: [], credits: 0 };
    // Names this verify asked for are lent too, so its next verify of them stays local.
    const asked = [
      ...(request.ratelimits ?? []).filter((limit) => limit.limit === undefined).map((limit) => limit.name),
      ...(request.optionalRatelimits ?? []),
    ];
    const limits = [...used.limits, ...asked.filter((name) => !used.limits.some((limit) => limit.name === name)).map((name) => ({ name, perSecond: 0 }))];
    return this.leases.grant(policy, { limits, credits: used.credits }, bound, now);
  }

  private answer(policy: KeyPolicy, tags: string[] | undefined, result: VerifyResult, now: number): VerifyResult {
    this.verifications.add(policy, result.code, tags, now);
    return result;
  }

  // ---- credits ----

  /**
   * Spends credits for a predecessor key that was rerolled into this one, so both keys draw
   * from one pool during the overlap. Forwards along a chain of rerolls.
   */
  async spendCredits(keyId: string, cost: number): Promise<{ allowed: boolean; remaining: number | null }> {
    const policy = await this.policies.current(keyId);
    if (!policy || policy.deleted) return { allowed: false, remaining: 0 };
    if (policy.creditsFrom) return keyState(this.env, policy.creditsFrom).spendCredits(policy.creditsFrom, cost);
    return this.credits.spend(policy, cost, Date.now());
  }

  /** Empties this key's credits and answers how many there were, for a reroll to move them. */
  async takeCredits(keyId: string): Promise<number | null> {
    const policy = await this.policies.current(keyId);
    return policy ? this.credits.takeAll(policy, Date.now()) : null;
  }

  /** Current credits, for getKey and listKeys; in edge mode, counting those lent and not reported spent. */
  async remaining(keyId: string): Promise<Answer<number | null>> {
    try {
      const policy = await this.policies.current(keyId);
      return { value: policy ? this.credits.unspent(policy, Date.now()) : null };
    } catch (err) {
      return refusal(err, "D1");
    }
  }

  /** `increment` / `decrement` applied atomically against concurrent verifies; answers the new value. */
  async adjustRemaining(keyId: string, op: Exclude<CreditOp, "set">, value: number): Promise<Answer<number>> {
    try {
      const policy = await this.policies.current(keyId);
      if (!policy || policy.deleted) throw new KeygateError("NOT_FOUND", `key ${keyId} not found`);
      return { value: this.credits.adjust(policy, op, value, Date.now()) };
    } catch (err) {
      return refusal(err, "D1");
    }
  }

  // ---- verification counts ----

  /** Moves the verification counts to D1; on failure they are kept and the alarm is retried. */
  async alarm(): Promise<void> {
    await this.verifications.flush();
  }
}
