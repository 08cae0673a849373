import { badRequest } from "../../errors";
import type { KeyRatelimit, KeySettings, Refill } from "../../schemas";
import type { KeyRow } from "../../store/keys";
import type { LimitConfig } from "../../store/policy";
import { assertValidAllowlist } from "../apis";

/** Checks a new key's settings that the schema alone cannot. */
export function assertValidKeySettings(input: KeySettings, now: number): void {
  assertCredits(input.remaining, input.refill);
  assertFuture(input.expires, now);
  assertValidAllowlist(input.ipAllowlist ?? []);
  legacyLimit(input.ratelimit);
}

export function assertCredits(remaining: number | undefined, refill: Refill | undefined): void {
  if (!refill) return;
  if (remaining === undefined) throw badRequest("refill: a key needs remaining credits to be refilled; set remaining too");
  if (refill.interval === "daily" && refill.refillDay !== undefined) {
    throw badRequest("refill.refillDay: only a monthly refill takes a day");
  }
}

export function assertFuture(expires: number | undefined, now: number): void {
  if (expires !== undefined && expires <= now) {
    throw badRequest("expires: must be in the future (unix milliseconds)");
  }
}

/** The key's own limit, from Unkey's shape, where `refillInterval` is the older name of `duration`. */
function legacyLimit(ratelimit: KeyRatelimit | undefined): LimitConfig | undefined {
  if (!ratelimit) return undefined;
  const duration = ratelimit.duration ?? ratelimit.refillInterval;
  if (duration === undefined) throw badRequest("ratelimit.duration: required (milliseconds, at least 1000)");
  return { limit: ratelimit.limit, duration };
}

/** The key's own limit as its columns; none clears them. */
export function ratelimitColumns(ratelimit: KeyRatelimit | null | undefined): Pick<KeyRow, "ratelimit_limit" | "ratelimit_duration"> {
  const limit = legacyLimit(ratelimit ?? undefined);
  return { ratelimit_limit: limit?.limit ?? null, ratelimit_duration: limit?.duration ?? null };
}

/** A refill as the key's columns (a monthly one without a day comes on the 1st); none clears them. */
export function refillColumns(refill: Refill | null | undefined): Pick<KeyRow, "refill_interval" | "refill_amount" | "refill_day"> {
  return {
    refill_interval: refill?.interval ?? null,
    refill_amount: refill?.amount ?? null,
    refill_day: refill ? (refill.refillDay ?? (refill.interval === "monthly" ? 1 : null)) : null,
  };
}
