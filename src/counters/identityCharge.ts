import type { Limiter, LimitOutcome } from "./limiter";
import type { LimitCharge } from "./windows";

/**
 * One verify's charge to its identity's shared limits, held in the identity's Limiter: the
 * counterpart of KeyCharge in another Durable Object. Refunded at most once, and only if the
 * Limiter admitted it, when a later step of the same verify denies or fails.
 */
export class IdentityCharge {
  /** When the Limiter charged; unset until it admits, and again once refunded. */
  private chargedAt?: number;

  constructor(
    private readonly limiter: DurableObjectStub<Limiter>,
    private readonly limits: LimitCharge[],
  ) {}

  async consume(): Promise<LimitOutcome> {
    const outcome = await this.limiter.consume(this.limits);
    if (outcome.allowed) this.chargedAt = outcome.chargedAt;
    return outcome;
  }

  async refund(): Promise<void> {
    const chargedAt = this.chargedAt;
    if (chargedAt === undefined) return;
    this.chargedAt = undefined;
    await this.limiter.refund(this.limits, chargedAt);
  }
}
