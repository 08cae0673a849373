import { z } from "@hono/zod-openapi";
import { credits, displayName, type namedLimits, type RbacRef, refill, type UpdateKeyInput, unixMs } from "../../../schemas";

/**
 * The request shapes keys.createKey, keys.updateKey and keys.migrateKeys share (credits, rate
 * limits, permission and role names), and how they map onto the key services' inputs. Not a route.
 */

/** When a key stops working, in unix ms: a time already past would make a dead key. */
export const expiry = unixMs.refine((at) => at > Date.now(), "must be in the future (unix milliseconds)");

/** Refilling only works on a limited number of credits, and only a monthly refill takes a day. */
function checkRefill(remaining: number | null | undefined, given: z.infer<typeof refill> | null | undefined, ctx: z.RefinementCtx) {
  if (!given) return;
  if (remaining === null) ctx.addIssue({ code: "custom", path: ["refill"], message: "an unlimited key (remaining null) cannot be refilled" });
  if (given.interval === "daily" && given.refillDay !== undefined) {
    ctx.addIssue({ code: "custom", path: ["refill", "refillDay"], message: "only a monthly refill takes a day" });
  }
}

/** A new key's credits: `remaining` null (or no `credits` at all) is unlimited. */
export const newKeyCredits = z
  .strictObject({
    remaining: credits.nullable().openapi({ description: "Credits; null for unlimited." }),
    refill: refill.optional(),
  })
  .superRefine((given, ctx) => checkRefill(given.remaining, given.refill, ctx))
  .openapi("V2KeysCreditsRequest");

/** A change of a key's credits: only what is given changes; null clears it. */
export const creditsUpdate = z
  .strictObject({
    remaining: credits.nullable().optional().openapi({ description: "null: unlimited (and no refill)." }),
    refill: refill.nullable().optional().openapi({ description: "null: no refill." }),
  })
  .superRefine((given, ctx) => checkRefill(given.remaining, given.refill, ctx))
  .openapi("V2KeysCreditsUpdate");

export const permissionNames = z.array(displayName()).max(1000);
export const roleNames = z.array(displayName()).max(100);

/** v2 `credits` of a new key, as the service's `remaining` and `refill`. */
export function creditsOfNewKey(given: z.infer<typeof newKeyCredits> | undefined) {
  return { remaining: given?.remaining ?? undefined, refill: given?.refill };
}

/** v2 `credits` of keys.updateKey, as the service's `remaining` and `refill`; null makes the key unlimited. */
export function creditsChange(given: z.infer<typeof creditsUpdate> | null | undefined): Pick<UpdateKeyInput, "remaining" | "refill"> {
  if (given === undefined) return {};
  if (given === null) return { remaining: null, refill: null };
  // An unlimited key has nothing to refill, so making it unlimited also ends its refill.
  const refillChange = given.refill !== undefined ? given.refill : given.remaining === null ? null : undefined;
  return { remaining: given.remaining, refill: refillChange };
}

/**
 * v2 `ratelimits` of keys.updateKey, which replace all of the key's limits: the key's own v1
 * `ratelimit`, which v2 shows as "default", is cleared too (a "default" given here is stored as a
 * named limit).
 */
export function ratelimitsChange(given: z.infer<typeof namedLimits> | null | undefined): Pick<UpdateKeyInput, "ratelimit" | "ratelimits"> {
  if (given === undefined) return {};
  return { ratelimits: given ?? [], ratelimit: null };
}

/** v2 grants a key permissions by name, creating those missing (which needs rbac.*.create_permission). */
export const permissionRefs = (names: string[]): RbacRef[] => names.map((name) => ({ name, create: true }));

/** v2 gives a key only roles that exist. */
export const roleRefs = (names: string[]): RbacRef[] => names.map((name) => ({ name }));
