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
  /** bucket index (floor(time / width)) → admitted cost */
  buckets: Record<number, number>;
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

/** Decides, without side effects, whether `cost` fits; `next` already carries the charge if it does. */
export function checkWindow(state: WindowState | undefined, config: LimitConfig, cost: number, now: number): WindowCheck {
  const width = bucketWidth(config.duration);
  const first = Math.floor((now - config.duration) / width);
  const current = Math.floor(now / width);
  const live: Record<number, number> = {};
  let used = 0;

  if (state && state.width === width) {
    for (const [index, count] of Object.entries(state.buckets)) {
      const i = Number(index);
      if (i >= first && count > 0) {
        live[i] = count;
        used += count;
      }
    }
  } else if (state) {
    // The duration changed: keep everything that may still be in the window, counted as now.
    const oldFirst = Math.floor((now - config.duration) / state.width);
    for (const [index, count] of Object.entries(state.buckets)) {
      if (Number(index) >= oldFirst) used += count;
    }
    if (used > 0) live[current] = used;
  }

  const allowed = used + cost <= config.limit;
  if (allowed && cost > 0) {
    live[current] = (live[current] ?? 0) + cost;
    used += cost;
  }
  const indices = Object.keys(live).map(Number);
  const oldest = indices.length > 0 ? Math.min(...indices) : current;
  return {
    allowed,
    limit: config.limit,
    remaining: Math.max(0, config.limit - used),
    reset: (oldest + 1) * width + config.duration,
    next: { width, buckets: live },
  };
}

/** Takes back a charge made at `chargedAt` (used when a later step of the same verify denied). */
export function refundWindow(state: WindowState, cost: number, chargedAt: number): WindowState {
  const index = Math.floor(chargedAt / state.width);
  const count = state.buckets[index];
  if (count === undefined) return state;
  const buckets = { ...state.buckets };
  if (count - cost > 0) buckets[index] = count - cost;
  else delete buckets[index];
  return { width: state.width, buckets };
}
