import type { RefillConfig } from "../store/policy";
import { DAY_MS } from "../time";

export interface CreditState {
  remaining: number;
  /** Unix ms of the last refill boundary applied (or when credits were last set). */
  lastRefillAt: number;
  /** The D1 credits_version this count descends from; a newer one in D1 replaces it. */
  version: number;
  /**
   * Edge mode: credits lent before the count was last reset, beyond what the reset value could
   * cover. Credits returned unspent pay this off before they count again.
   */
  owed?: number;
}

/**
 * The most recent refill boundary at or before `now`, in UTC. Monthly refills happen on
 * `refillDay` (default 1), or on the month's last day when it is shorter.
 */
export function lastRefillBoundary(refill: RefillConfig, now: number): number {
  if (refill.interval === "daily") return Math.floor(now / DAY_MS) * DAY_MS;
  const date = new Date(now);
  let year = date.getUTCFullYear();
  let month = date.getUTCMonth();
  const boundaryIn = (y: number, m: number) => Date.UTC(y, m, Math.min(refill.refillDay ?? 1, daysInMonth(y, m)));
  let boundary = boundaryIn(year, month);
  if (boundary > now) {
    month -= 1;
    if (month < 0) {
      month = 11;
      year -= 1;
    }
    boundary = boundaryIn(year, month);
  }
  return boundary;
}

/** The first refill boundary after `now`: when the credits come back. */
export function nextRefillBoundary(refill: RefillConfig, now: number): number {
  const last = lastRefillBoundary(refill, now);
  if (refill.interval === "daily") return last + DAY_MS;
  const date = new Date(last);
  const [year, month] = [date.getUTCFullYear(), date.getUTCMonth() + 1];
  return Date.UTC(year, month, Math.min(refill.refillDay ?? 1, daysInMonth(year, month)));
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** Refills to `amount` when a boundary has passed since the last refill; computed lazily on touch. */
export function applyRefill(state: CreditState, refill: RefillConfig | null, now: number): CreditState {
  if (!refill) return state;
  const boundary = lastRefillBoundary(refill, now);
  if (boundary <= state.lastRefillAt) return state;
  return { ...state, remaining: refill.amount, lastRefillAt: boundary };
}

export type CreditOp = "increment" | "decrement" | "set";

export function adjustCredits(remaining: number, op: CreditOp, value: number): number {
  if (op === "set") return value;
  if (op === "increment") return remaining + value;
  return Math.max(0, remaining - value);
}
