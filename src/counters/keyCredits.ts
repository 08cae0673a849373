import { KeygateError } from "../errors";
import type { KeyPolicy } from "../store/policy";
import type { CounterStorage } from "./cachedKv";
import { adjustCredits, applyRefill, type CreditOp, type CreditState } from "./credits";

/**
 * A key's live credit count, in its Durable Object's storage. Every method reads and writes with
 * no await in between, so concurrent verifies and adjustments never lose a credit.
 */
export class KeyCredits {
  constructor(
    private readonly storage: CounterStorage,
    /** Credits held by isolates in edge mode (LeaseLedger.lentCredits). */
    private readonly lent: () => number = () => 0,
  ) {}

  /**
   * The live count with any due refill applied; null when the key is unlimited. Credits lent to
   * isolates in edge mode are left out of a count that is reset (a new value from
   * management, a refill): they may still be spent, and come back if they are not.
   */
  live(policy: KeyPolicy, now: number): CreditState | null {
    if (!policy.credits) return null;
    const lent = this.lent();
    let state = this.storage.get<CreditState>("credits");
    if (!state || state.version < policy.credits.version) {
      // Management set a new value since this count began: it replaces the count.
      state = { ...resetTo(policy.credits.remaining, lent), lastRefillAt: policy.credits.setAt, version: policy.credits.version };
    }
    const refilled = applyRefill(state, policy.refill, now);
    return refilled === state ? state : { ...refilled, ...resetTo(refilled.remaining, lent) };
  }

  /**
   * What management reads as the key's credits: the count plus what isolates were lent and have
   * not reported spent (edge mode), less what a reset left owing; null when the key is unlimited.
   */
  unspent(policy: KeyPolicy, now: number): number | null {
    const credits = this.live(policy, now);
    return credits ? Math.max(0, credits.remaining + this.lent() - (credits.owed ?? 0)) : null;
  }

  /** Spends `cost` if that many are left; `remaining` is null when the key is unlimited. */
  spend(policy: KeyPolicy, cost: number, now: number): { allowed: boolean; remaining: number | null } {
    const credits = this.live(policy, now);
    if (!credits) return { allowed: true, remaining: null };
    if (cost > credits.remaining) return { allowed: false, remaining: credits.remaining };
    this.storage.put("credits", { ...credits, remaining: credits.remaining - cost });
    return { allowed: true, remaining: credits.remaining - cost };
  }

  /** Adds back credits an isolate was lent and did not spend, once what a reset left owing is paid. */
  giveBack(policy: KeyPolicy, amount: number, now: number): void {
    const credits = this.live(policy, now);
    if (!credits) return;
    const paid = Math.min(credits.owed ?? 0, amount);
    this.storage.put("credits", { ...credits, remaining: credits.remaining + amount - paid, owed: (credits.owed ?? 0) - paid });
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

/**
 * A count reset to `value` while isolates hold `lent` credits: those may still be spent, so they
 * come off the new count, and what the count cannot cover is owed until they come back unspent.
 */
function resetTo(value: number, lent: number): Pick<CreditState, "remaining" | "owed"> {
  return { remaining: Math.max(0, value - lent), owed: Math.max(0, lent - value) };
}
