import { KeygateError } from "../errors";
import type { KeyPolicy } from "../store/policy";
import type { CounterStorage } from "./cachedKv";
import { adjustCredits, applyRefill, type CreditOp, type CreditState } from "./credits";

/**
 * A key's live credit count, in its Durable Object's storage. Every method reads and writes with
 * no await in between, so concurrent verifies and adjustments never lose a credit.
 */
export class KeyCredits {
  constructor(private readonly storage: CounterStorage) {}

  /** The live count with any due refill applied; null when the key is unlimited. */
  live(policy: KeyPolicy, now: number): CreditState | null {
    if (!policy.credits) return null;
    let state = this.storage.get<CreditState>("credits");
    if (!state || state.version < policy.credits.version) {
      // Management set a new value since this count began: it replaces the count.
      state = { remaining: policy.credits.remaining, lastRefillAt: policy.credits.setAt, version: policy.credits.version };
    }
    return applyRefill(state, policy.refill, now);
  }

  /** Spends `cost` if that many are left; `remaining` is null when the key is unlimited. */
  spend(policy: KeyPolicy, cost: number, now: number): { allowed: boolean; remaining: number | null } {
    const credits = this.live(policy, now);
    if (!credits) return { allowed: true, remaining: null };
    if (cost > credits.remaining) return { allowed: false, remaining: credits.remaining };
    this.storage.put("credits", { ...credits, remaining: credits.remaining - cost });
    return { allowed: true, remaining: credits.remaining - cost };
  }

  /** Empties the count and answers how many there were; null when the key is unlimited. */
  takeAll(policy: KeyPolicy, now: number): number | null {
    const credits = this.live(policy, now);
    if (!credits) return null;
    this.storage.put("credits", { ...credits, remaining: 0 });
    return credits.remaining;
  }

  /** Applies `increment` or `decrement` and answers the new count. */
  adjust(policy: KeyPolicy, op: Exclude<CreditOp, "set">, value: number, now: number): number {
    const credits = this.live(policy, now);
    if (!credits) throw new KeygateError("BAD_REQUEST", 'this key has unlimited credits; use op "set" to give it a number first');
    const next = { ...credits, remaining: adjustCredits(credits.remaining, op, value) };
    this.storage.put("credits", next);
    return next.remaining;
  }
}
