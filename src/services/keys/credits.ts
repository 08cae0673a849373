import { apiPermission, authorize, type Caller } from "../../auth/caller";
import { askKeyState, writeFenced } from "../../counters/client";
import type { Env } from "../../env";
import { badRequest } from "../../errors";
import type { UpdateRemainingInput } from "../../schemas";
import { auditStatement } from "../../store/audit";
import { batch } from "../../store/db";
import { setCreditsStatement } from "../../store/keys";
import { requireKey } from "./read";

/** `set` replaces the key's credits (null: unlimited); `increment` and `decrement` adjust the running count in its Durable Object. */
export async function updateRemaining(env: Env, caller: Caller, input: UpdateRemainingInput) {
  const key = await requireKey(env, caller, input.keyId);
  authorize(caller, ...apiPermission(key.api_id, "update_key"));
  if (input.op === "set") {
    const now = Date.now();
    if (input.value === null && key.refill_interval) throw badRequest("value: a key with a refill needs a number of credits");
    await writeFenced(env, [key.id], () =>
      batch(env.DB, [
        setCreditsStatement(env.DB, key.id, input.value, now),
        auditStatement(env.DB, caller, {
          event: "key.remaining.update",
          resources: [{ type: "key", id: key.id }],
          description: `Set the credits of key ${key.id} to ${input.value ?? "unlimited"}.`,
        }),
      ]),
    );
    return { remaining: input.value };
  }
  if (input.value === null) throw badRequest(`value: ${input.op} needs a number`);
  const value = input.value;
  const op = input.op;
  const remaining = await askKeyState<number>(env, key.id, (state) => state.adjustRemaining(key.id, op, value));
  return { remaining };
}
