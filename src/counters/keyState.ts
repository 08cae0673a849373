import { DurableObject } from "cloudflare:workers";
import { KeygateError, refusal, type Answer } from "../errors";
import type { Env } from "../env";
import { loadKeyPolicy, type KeyPolicy } from "../store/policy";
import { countStatements, type CountedKey, type PendingCount } from "../store/verifications";
import {
  checkAccess,
  describeKey,
  planLimits,
  tightest,
  type NamedRatelimitState,
  type VerifyCode,
  type VerifyRequest,
  type VerifyResult,
} from "../verify/decide";
import { CachedKv } from "./cachedKv";
import { adjustCredits, applyRefill, type CreditOp, type CreditState } from "./credits";
import { identityLimiterName, type Limiter } from "./limiter";
import { KeyCharge } from "./keyCharge";

/** How long a fence may stand if its release never arrives; far longer than any D1 write. */
export const MAX_FENCE_MS = 30_000;
const STATS_FLUSH_MS = 10_000;
/** Distinct (day, outcome, tags) counts held before a flush is due at once. */
const MAX_PENDING_COUNTS = 1_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Day and outcome hold no ":", and the tags come last, so the key is unique. */
const pendingBucket = (day: number, outcome: string, tags: string) => `${day}:${outcome}:${tags}`;

const keyStateOf = (env: Env, keyId: string) => env.KEY_STATE.get(env.KEY_STATE.idFromName(keyId));

/** What `ratelimit` reports: the limit that denied, or the one with the least left. */
function reported(states: NamedRatelimitState[], denied?: string) {
  const shown = denied === undefined ? tightest(states) : states.find((state) => state.name === denied);
  return { ratelimit: shown && { limit: shown.limit, remaining: shown.remaining, reset: shown.reset }, ratelimits: states };
}

/**
 * One key's hot state, the single place where a verify is decided:
 * - the key's policy (a snapshot of D1), held in memory and dropped whenever management
 *   changes the key, so a disabled, revoked or deleted key fails on the very next verify;
 * - its credits and rate-limit windows, in synchronous SQLite-backed storage, so a check and
 *   its charge happen with nothing in between: exact under any concurrency;
 * - its verification counts, flushed to D1 by an alarm so verify never waits on analytics.
 */
export class KeyState extends DurableObject<Env> {
  /** Credits and rate-limit windows: read from memory, written through to storage. */
  private readonly counters = new CachedKv(this.ctx.storage.kv);
  private policy: Promise<KeyPolicy | null> | null = null;
  /** Management writes in flight: fence token → until when the policy must be read fresh. */
  private readonly fences = new Map<string, number>();
  private generation = 0;
  /** Verification counts not yet in D1, by day, outcome and tags. */
  private readonly pendingCounts = new Map<string, PendingCount>();
  private countedKey?: CountedKey;
  private flushScheduled = false;
  /** The scheduled flush is due now, not in STATS_FLUSH_MS. */
  private flushSoon = false;

  // ---- management: fence → write D1 → release ----

  /** Called before a management write to D1: until released, every verify reads D1 afresh. */
  fence(token: string): void {
    this.fences.set(token, Date.now() + MAX_FENCE_MS);
    this.forgetPolicy();
  }

  /** Called after the write: the next verify loads (and keeps) the new policy. */
  release(token: string): void {
    this.fences.delete(token);
    this.forgetPolicy();
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
    const policy = await this.currentPolicy(request.keyId);
    if (!policy || policy.deleted) return { valid: false, code: "NOT_FOUND" };
    const now = Date.now();
    const key = describeKey(policy);
    const denied = checkAccess(policy, request, now);
    if (denied) return this.answer(policy, request.tags, { ...key, valid: false, code: denied }, now);

    const planned = planLimits(policy, request);
    const identityCharges = planned.filter((p) => p.scope === "identity");

    // Synchronous from here to the commit: check every key limit and the credits, then charge.
    const charge = new KeyCharge(this.counters, planned.filter((p) => p.scope === "key"), this.credits(policy, now), request.creditCost, now);
    let states = charge.windows.states;
    if (!charge.windows.allowed) {
      return this.answer(policy, request.tags, { ...key, ...reported(states, charge.windows.denied), valid: false, code: "RATE_LIMITED" }, now);
    }
    if (!charge.creditsFit) {
      return this.answer(policy, request.tags, { ...key, ...reported(states), remaining: charge.credits?.remaining, valid: false, code: "USAGE_EXCEEDED" }, now);
    }
    charge.commit();
    let remaining = charge.remainingAfter;

    // From the commit on, every way out but VALID refunds: a denial by a shared counter (held in
    // another Durable Object) and any failure alike. In between, a concurrent request can only
    // be denied, never over-admitted.
    let identityCharged: { limiter: DurableObjectStub<Limiter>; chargedAt: number } | undefined;
    const refundIdentity = async () => {
      const charged = identityCharged;
      identityCharged = undefined;
      await charged?.limiter.refund(identityCharges, charged.chargedAt);
    };
    try {
      if (identityCharges.length > 0) {
        const limiter = this.env.LIMITER.get(this.env.LIMITER.idFromName(identityLimiterName(policy.identity!.id)));
        const shared = await limiter.consume(identityCharges);
        states = [...states, ...shared.states];
        if (!shared.allowed) {
          charge.refund();
          return this.answer(policy, request.tags, { ...key, ...reported(states, shared.denied), remaining, valid: false, code: "RATE_LIMITED" }, now);
        }
        identityCharged = { limiter, chargedAt: shared.chargedAt };
      }
      if (policy.creditsFrom) {
        const spent = await keyStateOf(this.env, policy.creditsFrom).spendCredits(policy.creditsFrom, request.creditCost);
        remaining = spent.remaining ?? undefined;
        if (!spent.allowed) {
          charge.refund();
          await refundIdentity();
          return this.answer(policy, request.tags, { ...key, ...reported(states), remaining, valid: false, code: "USAGE_EXCEEDED" }, now);
        }
      }
      return this.answer(policy, request.tags, { ...key, ...reported(states), remaining, valid: true, code: "VALID" }, now);
    } catch (err) {
      charge.refund();
      await refundIdentity().catch(() => {});
      throw new KeygateError("SERVICE_UNAVAILABLE", "A counter is unavailable; the key was not charged.", { cause: err });
    }
  }

  private answer(policy: KeyPolicy, tags: string[] | undefined, result: VerifyResult, now: number): VerifyResult {
    this.count(policy, result.code, tags, now);
    return result;
  }

  // ---- credits ----

  /** The live credit count with any due refill applied; null when the key is unlimited. */
  private credits(policy: KeyPolicy, now: number): CreditState | null {
    if (!policy.credits) return null;
    let state = this.counters.get<CreditState>("credits");
    if (!state || state.version < policy.credits.version) {
      // Management set a new value since this count began: it replaces the count.
      state = { remaining: policy.credits.remaining, lastRefillAt: policy.credits.setAt, version: policy.credits.version };
    }
    return applyRefill(state, policy.refill, now);
  }

  /**
   * Spends credits for a predecessor key that was rerolled into this one, so both keys draw
   * from one pool during the overlap. Forwards along a chain of rerolls.
   */
  async spendCredits(keyId: string, cost: number): Promise<{ allowed: boolean; remaining: number | null }> {
    const policy = await this.currentPolicy(keyId);
    if (!policy || policy.deleted) return { allowed: false, remaining: 0 };
    if (policy.creditsFrom) return keyStateOf(this.env, policy.creditsFrom).spendCredits(policy.creditsFrom, cost);
    const credits = this.credits(policy, Date.now());
    if (!credits) return { allowed: true, remaining: null };
    if (cost > credits.remaining) return { allowed: false, remaining: credits.remaining };
    this.counters.put("credits", { ...credits, remaining: credits.remaining - cost });
    return { allowed: true, remaining: credits.remaining - cost };
  }

  /** Empties this key's credits and answers how many there were, for a reroll to move them. */
  async takeCredits(keyId: string): Promise<number | null> {
    const policy = await this.currentPolicy(keyId);
    if (!policy) return null;
    const credits = this.credits(policy, Date.now());
    if (!credits) return null;
    this.counters.put("credits", { ...credits, remaining: 0 });
    return credits.remaining;
  }

  /** Current credits, for getKey and listKeys. */
  async remaining(keyId: string): Promise<Answer<number | null>> {
    try {
      const policy = await this.currentPolicy(keyId);
      return { value: policy ? (this.credits(policy, Date.now())?.remaining ?? null) : null };
    } catch (err) {
      return refusal(err, "D1");
    }
  }

  /** `increment` / `decrement` applied atomically against concurrent verifies; answers the new value. */
  async adjustRemaining(keyId: string, op: Exclude<CreditOp, "set">, value: number): Promise<Answer<number>> {
    try {
      const policy = await this.currentPolicy(keyId);
      if (!policy || policy.deleted) throw new KeygateError("NOT_FOUND", `key ${keyId} not found`);
      const credits = this.credits(policy, Date.now());
      if (!credits) throw new KeygateError("BAD_REQUEST", 'this key has unlimited credits; use op "set" to give it a number first');
      const next = { ...credits, remaining: adjustCredits(credits.remaining, op, value) };
      this.counters.put("credits", next);
      return { value: next.remaining };
    } catch (err) {
      return refusal(err, "D1");
    }
  }

  // ---- policy cache ----

  private currentPolicy(keyId: string): Promise<KeyPolicy | null> {
    const now = Date.now();
    for (const [token, until] of this.fences) if (until <= now) this.fences.delete(token);
    if (this.fences.size > 0) return loadKeyPolicy(this.env, keyId);
    if (!this.policy) {
      const generation = this.generation;
      const load = loadKeyPolicy(this.env, keyId);
      this.policy = load;
      load.then(
        () => {
          // A fence or release during the load means it may have read the old row.
          if (this.generation !== generation && this.policy === load) this.policy = null;
        },
        () => {
          if (this.policy === load) this.policy = null;
        },
      );
    }
    return this.policy;
  }

  private forgetPolicy(): void {
    this.policy = null;
    this.generation++;
  }

  // ---- verification counts ----

  /**
   * Counted in memory and flushed to D1 by an alarm, so a verify with no counters writes nothing
   * to storage (a storage write is a disk commit). An eviction before the flush loses at most
   * one flush interval of analytics; allow/deny answers never depend on these counts.
   */
  private count(policy: KeyPolicy, code: VerifyCode, tags: string[] | undefined, now: number): void {
    const day = Math.floor(now / DAY_MS) * DAY_MS;
    const tagSet = tags?.length ? JSON.stringify([...new Set(tags)].sort()) : "[]";
    const bucket = pendingBucket(day, code, tagSet);
    const pending = this.pendingCounts.get(bucket);
    if (pending) pending.count++;
    else this.pendingCounts.set(bucket, { day, outcome: code, tags: tagSet, count: 1 });
    this.countedKey ??= { keyId: policy.id, apiId: policy.apiId, workspaceId: policy.workspaceId };
    // Callers choose their tags freely: once many distinct counts wait, they are flushed at once.
    const overflowing = this.pendingCounts.size >= MAX_PENDING_COUNTS;
    if (!this.flushScheduled || (overflowing && !this.flushSoon)) {
      this.flushScheduled = true;
      this.flushSoon = overflowing;
      void this.ctx.storage.setAlarm(overflowing ? now : now + STATS_FLUSH_MS);
    }
  }

  /** Moves counts to D1; on failure they are kept and the alarm is retried. */
  async alarm(): Promise<void> {
    this.flushScheduled = false;
    this.flushSoon = false;
    const key = this.countedKey;
    const pending = [...this.pendingCounts.values()];
    if (!key || pending.length === 0) return;
    this.pendingCounts.clear();
    try {
      await this.env.DB.batch(countStatements(this.env, key, pending));
    } catch (err) {
      for (const count of pending) {
        const bucket = pendingBucket(count.day, count.outcome, count.tags);
        const waiting = this.pendingCounts.get(bucket);
        this.pendingCounts.set(bucket, { ...count, count: count.count + (waiting?.count ?? 0) });
      }
      this.flushScheduled = true;
      throw err;
    }
  }
}
