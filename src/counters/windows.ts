import type { LimitConfig } from "../store/policy";
import type { NamedRatelimitState } from "../verify/decide";
import type { CounterStorage } from "./cachedKv";
import { checkWindow, refundWindow, type WindowState } from "./window";

export interface LimitCharge {
  name: string;
  config: LimitConfig;
  cost: number;
}

export interface ChargeAttempt {
  allowed: boolean;
  /** The first limit that denied. */
  denied?: string;
  /** One per charge, in the order given: a list, since the names are the caller's. */
  states: NamedRatelimitState[];
  /** Stores the charges; call only when the whole verify is admitted. */
  commit(): void;
}

const windowKey = (name: string) => `window:${name}`;

const readWindow = (storage: CounterStorage, name: string) => storage.get<WindowState>(windowKey(name));

/**
 * Checks several limits at once, all or nothing, against a Durable Object's synchronous
 * storage. Nothing awaits between the check and the commit, so no other request can slip in.
 * The charges go in the bucket of `chargeAt` (see checkWindow).
 */
export function attemptCharges(storage: CounterStorage, charges: LimitCharge[], now: number, chargeAt = now): ChargeAttempt {
  const checks = charges.map((charge) => ({
    charge,
    check: checkWindow(readWindow(storage, charge.name), charge.config, charge.cost, now, chargeAt),
  }));
  const denied = checks.find(({ check }) => !check.allowed);
  return {
    allowed: !denied,
    denied: denied?.charge.name,
    states: checks.map(({ charge, check }) => ({
      name: charge.name,
      limit: check.limit,
      duration: charge.config.duration,
      remaining: check.remaining,
      reset: check.reset,
    })),
    commit() {
      for (const { charge, check } of checks) storage.put(windowKey(charge.name), check.next);
    },
  };
}

/** Takes back charges committed at `chargedAt` when a later step of the same verify denied. */
export function refundCharges(storage: CounterStorage, charges: LimitCharge[], chargedAt: number): void {
  for (const charge of charges) {
    const state = readWindow(storage, charge.name);
    if (state) storage.put(windowKey(charge.name), refundWindow(state, charge.cost, chargedAt));
  }
}

/** How much of a limit is left now, without charging anything. */
export function windowLeft(storage: CounterStorage, charge: Omit<LimitCharge, "cost">, now: number): { left: number; reset: number } {
  const check = checkWindow(readWindow(storage, charge.name), charge.config, 0, now);
  return { left: check.remaining, reset: check.reset };
}
