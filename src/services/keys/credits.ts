import { apiPermission, authorize, type Caller } from "../../auth/caller";
import { askKeyState, writeFenced } from "../../counters/client";
import type { Env } from "../../env";
import { badRequest } from "../../errors";
import type { UpdateRemainingInput } from "../../schemas";
import { auditStatement } from "../../store/audit";
import { batch } from "../../store/db";
import { refillOf, setCreditsStatement, updateKeyColumns } from "../../store/keys";
import type { RefillConfig } from "../../store/policy";
import { requireKey } from "./read";
import { refillColumns } from "./settings";

/** `set` replaces the key's credits (null: unlimited); `increment` and `decrement` adjust the running count in its Durable Object. */
export async function updateRemaining(env: Env, caller: Caller, input: UpdateRemainingInput): Promise<{ remaining: number | null }> {
  const { remaining } = await updateCredits(env, caller, input);
  return { remaining };
}

/**
 * As updateRemaining, also answering the key's refill: left as it is, except that making the
 * credits unlimited removes it (nothing is left to refill).
 */
export async function updateCredits(env: Env, caller: Caller, input: UpdateRemainingInput): Promise<{ remaining: number | null; refill: RefillConfig | null }> {
  const key = await requireKey(env, caller, input.keyId);
  authorize(caller, ...apiPermission(key.api_id, "update_key"));
  if (input.op === "set") {
    const now = Date.now();
    const unlimited = input.value === null;
    await writeFenced(env, [key.id], () =>
      batch(env.DB, [
        setCreditsStatement(env.DB, key.id, input.value, now),
        ...(unlimited && key.refill_interval ? [updateKeyColumns(env.DB, key.id, refillColumns(null), now)] : []),
        auditStatement(env.DB, caller, {
          event: "key.remaining.update",
          resources: [{ type: "key", id: key.id }],
          description: `Set the credits of key ${key.id} to ${input.value ?? "unlimited"}.`,
        }),
      ]),
    );
    return { remaining: input.value, refill: unlimited ? null : refillOf(key) };
  }
  if (input.value === null) throw badRequest(`value: ${input.op} needs a number`);
  const value = input.value;
  const op = input.op;
  const remaining = await askKeyState<number>(env, key.id, (state) => state.adjustRemaining(key.id, op, value));
  return { remaining, refill: refillOf(key) };
}
