import { describe, expect, it } from "vitest";
import { adjustCredits, applyRefill, lastRefillBoundary } from "../../src/counters/credits";

const utc = (iso: string) => Date.parse(iso);

describe("credit refills", () => {
  const daily = { interval: "daily" as const, amount: 100, refillDay: null };

  it("refills daily at UTC midnight, once", () => {
    const state = { remaining: 3, lastRefillAt: utc("2026-03-01T10:00:00Z"), version: 0 };
    expect(applyRefill(state, daily, utc("2026-03-01T23:59:59.999Z"))).toBe(state);
    const refilled = applyRefill(state, daily, utc("2026-03-02T00:00:00Z"));
    expect(refilled).toMatchObject({ remaining: 100, lastRefillAt: utc("2026-03-02T00:00:00Z") });
    expect(applyRefill({ ...refilled, remaining: 7 }, daily, utc("2026-03-02T18:00:00Z")).remaining).toBe(7);
  });

  it("refills once however many days were missed", () => {
    const state = { remaining: 0, lastRefillAt: utc("2026-01-01T00:00:00Z"), version: 0 };
    expect(applyRefill(state, daily, utc("2026-01-09T05:00:00Z"))).toMatchObject({ remaining: 100, lastRefillAt: utc("2026-01-09T00:00:00Z") });
  });

  it("refills monthly on refillDay, or on the last day of a shorter month", () => {
    const monthly = { interval: "monthly" as const, amount: 50, refillDay: 31 };
    expect(lastRefillBoundary(monthly, utc("2026-02-28T12:00:00Z"))).toBe(utc("2026-02-28T00:00:00Z"));
    expect(lastRefillBoundary(monthly, utc("2026-02-27T12:00:00Z"))).toBe(utc("2026-01-31T00:00:00Z"));
    expect(lastRefillBoundary(monthly, utc("2026-03-31T00:00:00Z"))).toBe(utc("2026-03-31T00:00:00Z"));
    const state = { remaining: 2, lastRefillAt: utc("2026-01-31T00:00:00Z"), version: 0 };
    expect(applyRefill(state, monthly, utc("2026-02-27T23:00:00Z")).remaining).toBe(2);
    expect(applyRefill(state, monthly, utc("2026-02-28T00:00:01Z")).remaining).toBe(50);
  });

  it("crosses a year boundary on the default day 1", () => {
    const monthly = { interval: "monthly" as const, amount: 10, refillDay: null };
    expect(lastRefillBoundary(monthly, utc("2027-01-01T00:00:00Z"))).toBe(utc("2027-01-01T00:00:00Z"));
    expect(lastRefillBoundary(monthly, utc("2026-12-31T23:59:59Z"))).toBe(utc("2026-12-01T00:00:00Z"));
  });

  it("adjusts atomically-computed values without going below zero", () => {
    expect(adjustCredits(5, "increment", 3)).toBe(8);
    expect(adjustCredits(5, "decrement", 3)).toBe(2);
    expect(adjustCredits(5, "decrement", 9)).toBe(0);
    expect(adjustCredits(5, "set", 42)).toBe(42);
  });
});
