import type { CounterStorage } from "./cachedKv";
import type { CreditState } from "./credits";
import { attemptCharges, type ChargeAttempt, type LimitCharge, refundCharges } from "./windows";

/**
 * One verify's charge to its key's own counters: the rate-limit windows and the credits are
 * checked together with no await in between, committed only when all fit, and refunded at most
 * once when a later step of the same verify denies or fails, so a verify never charges without
 * answering VALID.
 */
export class KeyCharge {
  readonly windows: ChargeAttempt;
  private committed = false;

  constructor(
    private readonly storage: CounterStorage,
    private readonly limits: LimitCharge[],
    /** The live credits (refill applied); null when the key is unlimited. */
    readonly credits: CreditState | null,
    private readonly creditCost: number,
    private readonly now: number,
  ) {
    this.windows = attemptCharges(storage, limits, now);
  }

  get creditsFit(): boolean {
    return !this.credits || this.creditCost <= this.credits.remaining;
  }

  /** Credits left once committed; undefined when the key is unlimited. */
  get remainingAfter(): number | undefined {
    return this.credits ? this.credits.remaining - this.creditCost : undefined;
  }

  /** Stores the charge; only when every limit admitted and the credits fit. */
  commit(): void {
    this.windows.commit();
    if (this.credits) this.storage.put("credits", { ...this.credits, remaining: this.credits.remaining - this.creditCost });
    this.committed = true;
  }

  refund(): void {
    if (!this.committed) return;
    this.committed = false;
    refundCharges(this.storage, this.limits, this.now);
    const current = this.storage.get<CreditState>("credits");
    if (this.credits && current) this.storage.put("credits", { ...current, remaining: current.remaining + this.creditCost });
  }
}
