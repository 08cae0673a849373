import { apiPermission, authorize, type Caller } from "../../auth/caller";
import { askKeyState, keyState, writeFenced } from "../../counters/client";
import { DEFAULT_BYTE_LENGTH, issueKey } from "../../crypto/keys";
import type { Env } from "../../env";
import { KeygateError } from "../../errors";
import { newId } from "../../ids";
import type { RerollKeyInput, RevokeKeyInput } from "../../schemas";
import { auditStatement } from "../../store/audit";
import { batch } from "../../store/db";
import { bumpCreditsVersion, copyKeyGrants, insertKey, updateKeyColumns } from "../../store/keys";
import { requireKey } from "./read";

/** Irreversible: the key fails at once everywhere, stays listed with its reason, and can never be enabled. */
export async function revokeKey(env: Env, caller: Caller, input: RevokeKeyInput) {
  const key = await requireKey(env, caller, input.keyId);
  authorize(caller, ...apiPermission(key.api_id, "update_key"));
  if (key.revoked_at !== null) return { keyId: key.id, revokedAt: key.revoked_at, reason: key.revoke_reason ?? undefined };
  const now = Date.now();
  await writeFenced(env, [key.id], () =>
    batch(env.DB, [
      updateKeyColumns(env.DB, key.id, { revoked_at: now, revoke_reason: input.reason ?? null, enabled: 0 }, now),
      auditStatement(env.DB, caller, {
        event: "key.revoke",
        resources: [{ type: "key", id: key.id }],
        description: `Revoked key ${key.id} (${key.start}…)${input.reason ? `: ${input.reason}` : ""}.`,
      }),
    ]),
  );
  return { keyId: key.id, revokedAt: now, reason: input.reason };
}

/**
 * Rotation with overlap: a new key with the old key's settings, while the old one expires after
 * `expiration` ms (0 = now). Credits move to the new key; until it expires, the old key spends
 * from the same pool, so they are never duplicated.
 */
export async function rerollKey(env: Env, caller: Caller, input: RerollKeyInput) {
  const old = await requireKey(env, caller, input.keyId);
  authorize(caller, ...apiPermission(old.api_id, "create_key"));
  if (old.revoked_at !== null) throw new KeygateError("PRECONDITION_FAILED", `key ${old.id} was revoked; issue a new key instead`);
  const now = Date.now();
  const oldExpires = Math.min(now + (input.expiration ?? 0), old.expires ?? Number.POSITIVE_INFINITY);
  const prefix = old.start.includes("_") ? old.start.slice(0, old.start.lastIndexOf("_")) : undefined;
  const issued = issueKey(prefix, DEFAULT_BYTE_LENGTH);
  const keyId = newId("key");

  await writeFenced(env, [old.id], async () => {
    // Taken inside the fence: from here the old key cannot spend what the new key receives.
    const credits = old.remaining === null && old.credits_from === null ? null : await keyState(env, old.id).takeCredits(old.id);
    const statements = [
      insertKey(env.DB, {
        ...old,
        id: keyId,
        hash: issued.hash,
        start: issued.start,
        last4: issued.last4,
        remaining: old.credits_from ? null : credits,
        credits_version: 0,
        credits_set_at: now,
        credits_from: old.credits_from,
        revoked_at: null,
        revoke_reason: null,
        created_at: now,
      }),
      // Only what the old key already holds: no rbac right is needed to hand it on.
      ...copyKeyGrants(env.DB, old.id, keyId),
      updateKeyColumns(env.DB, old.id, { expires: oldExpires, ...(old.credits_from ? {} : { remaining: null, credits_from: keyId }) }, now),
      bumpCreditsVersion(env.DB, old.id),
      auditStatement(env.DB, caller, {
        event: "key.reroll",
        resources: [
          { type: "key", id: old.id },
          { type: "key", id: keyId },
        ],
        description: `Rerolled key ${old.id} into ${keyId} (${issued.start}…); the old key expires at ${new Date(oldExpires).toISOString()}.`,
      }),
    ];
    try {
      return await batch(env.DB, statements);
    } catch (err) {
      // The write did not happen: give the old key its credits back.
      // The original failure is what the caller needs to see, even if this also fails.
      if (credits !== null && !old.credits_from) {
        await askKeyState(env, old.id, (state) => state.adjustRemaining(old.id, "increment", credits)).catch(() => undefined);
      }
      throw err;
    }
  });
  return { keyId, key: issued.plaintext };
}
