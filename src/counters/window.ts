import type { LimitConfig } from "../store/policy";

/**
 * A bucketed sliding log. The window of `duration` ms is cut into at most BUCKETS buckets;
 * a request is admitted only if the cost in every bucket that overlaps (now - duration, now]
 * plus its own cost fits in the limit. Counting the oldest, partly-covered bucket in full is
 * conservative: no sliding window of `duration` ever holds more than `limit` (no 2× burst at an
 * edge), at the price of under-admitting by at most one bucket's share (duration / BUCKETS).
 */
export const BUCKETS = 60;

export interface WindowState {
  /** Bucket width in ms; a change of duration starts a new layout. */
  width: number;
  /** Bucket index (floor(time / width)) of counts[0]. */
  start: number;
  /**
   * Admitted cost per bucket, from `start` on: a short dense array, cheap to scan and to store on
   * every verify. The first entry is never 0.
   */
  counts: number[];
}

export interface WindowCheck {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix ms at which the oldest counted cost leaves the window. */
  reset: number;
  /** The state to store if the caller commits this charge. */
  next: WindowState;
}

export function bucketWidth(duration: number): number {
  return Math.max(1, Math.ceil(duration / BUCKETS));
}

/**
 * Decides, without side effects, whether `cost` fits; `next` already carries the charge if it
 * does. The charge goes in the bucket of `chargeAt`: a lease charges its units at the lease's end,
 * the latest time they can be spent, so that every window that may hold a spend counts them.
 */
export function checkWindow(state: WindowState | undefined, config: LimitConfig, cost: number, now: number, chargeAt = now): WindowCheck {
  const width = bucketWidth(config.duration);
  const first = Math.floor((now - config.duration) / width);
  const current = Math.floor(now / width);
  let start = current;
  let counts: number[] = [];
  let used = 0;

  if (state && state.width === width) {
    // Buckets before `first` have left the window. Any after `current` (the clock went back) stay.
    start = Math.max(first, state.start);
    counts = state.counts.slice(start - state.start);
    for (const count of counts) used += count;
  } else if (state) {
    // The duration changed: keep everything that may still be in the window, counted as now.
    const oldFirst = Math.floor((now - config.duration) / state.width);
    for (let i = Math.max(0, oldFirst - state.start); i < state.counts.length; i++) used += state.counts[i]!;
    if (used > 0) counts = [used];
  }

  const allowed = used + cost <= config.limit;
  if (allowed && cost > 0) {
    const slot = Math.floor(chargeAt / width);
    if (counts.length === 0) start = slot;
    if (slot < start) {
      counts = [...new Array<number>(start - slot).fill(0), ...counts];
      start = slot;
    }
    while (counts.length <= slot - start) counts.push(0);
    counts[slot - start]! += cost;
    used += cost;
  }
  // Keep a charged bucket first: it holds the oldest cost, which sets `reset`.
  const firstCharged = counts.findIndex((count) => count > 0);
  if (firstCharged < 0) {
    start = current;
    counts = [];
  } else if (firstCharged > 0) {
    start += firstCharged;
    counts = counts.slice(firstCharged);
  }
  return {
    allowed,
    limit: config.limit,
    remaining: Math.max(0, config.limit - used),
    reset: (start + 1) * width + config.duration,
    next: { width, start, counts },
  };
}

/** Takes back a charge made at `chargedAt` (used when a later step of the same verify denied). */
export function refundWindow(state: WindowState, cost: number, chargedAt: number): WindowState {
  const offset = Math.floor(chargedAt / state.width) - state.start;
  const count = state.counts[offset];
  if (count === undefined) return state;
  const counts = [...state.counts];
  counts[offset] = Math.max(0, count - cost);
  const firstCharged = counts.findIndex((c) => c > 0);
  if (firstCharged < 0) return { width: state.width, start: state.start, counts: [] };
  return { width: state.width, start: state.start + firstCharged, counts: counts.slice(firstCharged) };
}
