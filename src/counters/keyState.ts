import { DurableObject } from "cloudflare:workers";
import { KeygateError, asDependencyError, toRemote } from "../errors";
import type { Env } from "../env";
import { loadKeyPolicy, type KeyPolicy } from "../store/policy";
import {
  checkAccess,
  describeKey,
  planLimits,
  tightest,
  type PlannedLimit,
  type VerifyCode,
  type VerifyRequest,
  type VerifyResult,
} from "../verify/decide";
import { adjustCredits, applyRefill, type CreditOp, type CreditState } from "./credits";
import { identityLimiterName } from "./limiter";
import { attemptCharges, refundCharges, type LimitCharge } from "./windows";

/** How long a fence may stand if its release never arrives; far longer than any D1 write. */
export const MAX_FENCE_MS = 30_000;
const STATS_FLUSH_MS = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * One key's hot state, the single place where a verify is decided:
 * - the key's policy (a snapshot of D1), held in memory and dropped whenever management
 *   changes the key, so a disabled, revoked or deleted key fails on the very next verify;
 * - its credits and rate-limit windows, in synchronous SQLite-backed storage, so a check and
 *   its charge happen with nothing in between: exact under any concurrency;
 * - its verification counts, flushed to D1 by an alarm so verify never waits on analytics.
 */
export class KeyState extends DurableObject<Env> {
  private policy: Promise<KeyPolicy | null> | null = null;
  /** Management writes in flight: fence token → until when the policy must be read fresh. */
  private readonly fences = new Map<string, number>();
  private generation = 0;
  private flushScheduled = false;

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

  async verify(request: VerifyRequest): Promise<VerifyResult> {
    try {
      return await this.decide(request);
    } catch (err) {
      throw toRemote(asDependencyError("D1", err));
    }
  }

  private async decide(request: VerifyRequest): Promise<VerifyResult> {
    const policy = await this.currentPolicy(request.keyId);
    if (!policy || policy.deleted) return { valid: false, code: "NOT_FOUND" };
    const now = Date.now();
    const key = describeKey(policy);
    const denied = checkAccess(policy, request, now);
    if (denied) return this.answer(policy, { ...key, valid: false, code: denied }, now);

    const planned = planLimits(policy, request);
    const keyCharges = planned.filter((p) => p.scope === "key");
    const identityCharges = planned.filter((p) => p.scope === "identity");

    // Synchronous from here to the commit: check every key limit and the credits, then charge.
    const storage = this.ctx.storage.kv;
    const attempt = attemptCharges(storage, keyCharges, now);
    let states = attempt.states;
    if (!attempt.allowed) {
      return this.answer(policy, { ...key, ...this.reported(states, attempt.denied), valid: false, code: "RATE_LIMITED" }, now);
    }
    const credits = this.credits(policy, now);
    if (credits && request.creditCost > credits.remaining) {
      return this.answer(policy, { ...key, ratelimit: tightest(Object.values(states)), ratelimits: states, remaining: credits.remaining, valid: false, code: "USAGE_EXCEEDED" }, now);
    }
    attempt.commit();
    if (credits) storage.put("credits", { ...credits, remaining: credits.remaining - request.creditCost });

    if (identityCharges.length > 0) {
      const shared = await this.chargeIdentity(policy, identityCharges, keyCharges, request.creditCost, now);
      states = { ...states, ...shared.states };
      if (!shared.allowed) {
        return this.answer(policy, { ...key, ...this.reported(states, shared.denied), remaining: credits?.remaining, valid: false, code: "RATE_LIMITED" }, now);
      }
    }
    const remaining = credits ? this.ctx.storage.kv.get<CreditState>("credits")!.remaining : undefined;
    return this.answer(policy, { ...key, ratelimit: tightest(Object.values(states)), ratelimits: states, remaining, valid: true, code: "VALID" }, now);
  }

  /**
   * Identity limits live in the identity's own Durable Object. The key's charges are already
   * committed, so if the identity denies (or cannot be reached) they are refunded: the verify
   * stays all-or-nothing, and in between a concurrent request can only be denied, never
   * over-admitted.
   */
  private async chargeIdentity(policy: KeyPolicy, charges: PlannedLimit[], keyCharges: LimitCharge[], creditCost: number, chargedAt: number) {
    const refund = () => {
      refundCharges(this.ctx.storage.kv, keyCharges, chargedAt);
      const credits = this.ctx.storage.kv.get<CreditState>("credits");
      if (credits && policy.credits) this.ctx.storage.kv.put("credits", { ...credits, remaining: credits.remaining + creditCost });
    };
    const limiter = this.env.LIMITER.get(this.env.LIMITER.idFromName(identityLimiterName(policy.identity!.id)));
    try {
      const outcome = await limiter.consume(charges);
      if (!outcome.allowed) refund();
      return outcome;
    } catch (err) {
      refund();
      throw new KeygateError("SERVICE_UNAVAILABLE", "The identity's rate limiter is unavailable; the key was not charged.", { cause: err });
    }
  }

  private reported(states: VerifyResult["ratelimits"] & object, denied: string | undefined) {
    return { ratelimit: denied ? states[denied] : tightest(Object.values(states)), ratelimits: states };
  }

  private answer(policy: KeyPolicy, result: VerifyResult, now: number): VerifyResult {
    this.count(policy, result.code, now);
    return result;
  }

  // ---- credits ----

  /** The live credit count with any due refill applied; null when the key is unlimited. */
  private credits(policy: KeyPolicy, now: number): CreditState | null {
    if (!policy.credits) return null;
    let state = this.ctx.storage.kv.get<CreditState>("credits");
    if (!state || state.version < policy.credits.version) {
      // Management set a new value since this count began: it replaces the count.
      state = { remaining: policy.credits.remaining, lastRefillAt: policy.credits.setAt, version: policy.credits.version };
    }
    return applyRefill(state, policy.refill, now);
  }

  /** Current credits, for getKey and listKeys. */
  async remaining(keyId: string): Promise<number | null> {
    const policy = await this.currentPolicy(keyId).catch((err) => {
      throw toRemote(asDependencyError("D1", err));
    });
    if (!policy) return null;
    return this.credits(policy, Date.now())?.remaining ?? null;
  }

  /** `increment` / `decrement` applied atomically against concurrent verifies; answers the new value. */
  async adjustRemaining(keyId: string, op: Exclude<CreditOp, "set">, value: number): Promise<number> {
    const policy = await this.currentPolicy(keyId).catch((err) => {
      throw toRemote(asDependencyError("D1", err));
    });
    if (!policy || policy.deleted) throw toRemote(new KeygateError("NOT_FOUND", `key ${keyId} not found`));
    const credits = this.credits(policy, Date.now());
    if (!credits) {
      throw toRemote(new KeygateError("BAD_REQUEST", "this key has unlimited credits; use op \"set\" to give it a number first"));
    }
    const next = { ...credits, remaining: adjustCredits(credits.remaining, op, value) };
    this.ctx.storage.kv.put("credits", next);
    return next.remaining;
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

  private count(policy: KeyPolicy, code: VerifyCode, now: number): void {
    const storage = this.ctx.storage.kv;
    const statKey = `stats:${Math.floor(now / DAY_MS) * DAY_MS}:${code}`;
    storage.put(statKey, (storage.get<number>(statKey) ?? 0) + 1);
    if (!storage.get("ref")) storage.put("ref", { keyId: policy.id, apiId: policy.apiId, workspaceId: policy.workspaceId });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      void this.ctx.storage.setAlarm(now + STATS_FLUSH_MS);
    }
  }

  /** Moves counts to D1; on failure they stay here and the alarm is retried. */
  async alarm(): Promise<void> {
    this.flushScheduled = false;
    const storage = this.ctx.storage.kv;
    const ref = storage.get<{ keyId: string; apiId: string; workspaceId: string }>("ref");
    const pending = [...storage.list<number>({ prefix: "stats:" })];
    if (!ref || pending.length === 0) return;
    await this.env.DB.batch(
      pending.map(([statKey, count]) => {
        const [, day, outcome] = statKey.split(":");
        return this.env.DB.prepare(
          `INSERT INTO verifications (workspace_id, api_id, key_id, day, outcome, count) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (key_id, day, outcome) DO UPDATE SET count = count + excluded.count`,
        ).bind(ref.workspaceId, ref.apiId, ref.keyId, Number(day), outcome, count);
      }),
    );
    for (const [statKey, count] of pending) {
      // Verifies that arrived during the flush stay for the next one.
      const now = storage.get<number>(statKey) ?? 0;
      if (now > count) storage.put(statKey, now - count);
      else storage.delete(statKey);
    }
  }
}
