import { describe, expect, it } from "vitest";
import { BUCKETS, bucketWidth, checkWindow, refundWindow, type WindowState } from "../../src/counters/window";

const config = { limit: 10, duration: 10_000 };

/** Admits `count` requests of cost 1 at `now`, returning the state and how many were admitted. */
function admit(state: WindowState | undefined, count: number, now: number) {
  let admitted = 0;
  for (let i = 0; i < count; i++) {
    const check = checkWindow(state, config, 1, now);
    if (check.allowed) {
      admitted++;
      state = check.next;
    }
  }
  return { state, admitted };
}

describe("sliding window", () => {
  it("admits exactly the limit within one window", () => {
    expect(admit(undefined, 25, 1_000_000).admitted).toBe(10);
  });

  it("admits no 2x burst across a window edge", () => {
    // Ten at the very end of one fixed window, then the next instant: a fixed window would reset.
    const first = admit(undefined, 10, 1_009_999);
    expect(first.admitted).toBe(10);
    expect(admit(first.state, 10, 1_010_001).admitted).toBe(0);
    expect(admit(first.state, 10, 1_015_000).admitted).toBe(0);
  });

  it("never holds more than the limit in any sliding window, at any sampling", () => {
    let state: WindowState | undefined;
    const admittedAt: number[] = [];
    for (let now = 0; now < 60_000; now += 37) {
      const check = checkWindow(state, config, 1, now);
      if (check.allowed) {
        state = check.next;
        admittedAt.push(now);
      }
    }
    for (const start of admittedAt) {
      const inWindow = admittedAt.filter((t) => t >= start && t < start + config.duration).length;
      expect(inWindow).toBeLessThanOrEqual(config.limit);
    }
    // Under-admission is bounded by one bucket: at least limit * (60s / (duration + width)) admits.
    expect(admittedAt.length).toBeGreaterThanOrEqual(Math.floor(60_000 / (config.duration + bucketWidth(config.duration))) * config.limit);
  });

  it("frees capacity once the oldest bucket leaves the window, and says when", () => {
    const first = admit(undefined, 10, 1_000_000);
    const denied = checkWindow(first.state, config, 1, 1_005_000);
    expect(denied).toMatchObject({ allowed: false, remaining: 0 });
    expect(checkWindow(first.state, config, 1, denied.reset - 1).allowed).toBe(false);
    expect(checkWindow(first.state, config, 1, denied.reset).allowed).toBe(true);
  });

  it("keeps at most BUCKETS + 2 buckets", () => {
    let state: WindowState | undefined;
    for (let now = 0; now < 100_000; now += 50) state = checkWindow(state, { limit: 1_000_000, duration: 10_000 }, 1, now).next;
    expect(state!.counts.length).toBeLessThanOrEqual(BUCKETS + 2);
  });

  it("refunds a charge into the bucket it was made in", () => {
    const charged = checkWindow(undefined, config, 4, 1_000_000);
    const refunded = refundWindow(charged.next, 4, 1_000_000);
    expect(checkWindow(refunded, config, 10, 1_000_001).allowed).toBe(true);
  });

  it("treats a cost above the limit as denied and charges nothing", () => {
    const check = checkWindow(undefined, config, 11, 0);
    expect(check.allowed).toBe(false);
    expect(check.next.counts).toEqual([]);
  });

  it("keeps counting conservatively when the duration changes", () => {
    const first = admit(undefined, 10, 1_000_000);
    const longer = checkWindow(first.state, { limit: 10, duration: 20_000 }, 1, 1_000_500);
    expect(longer.allowed).toBe(false);
  });

  it("still counts charges made before the clock stepped back", () => {
    const later = admit(undefined, 10, 1_005_000);
    expect(checkWindow(later.state, config, 1, 1_000_000)).toMatchObject({ allowed: false, remaining: 0 });
  });
});
