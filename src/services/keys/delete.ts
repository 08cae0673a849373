import { apiPermission, authorize, type Caller } from "../../auth/caller";
import { writeFenced } from "../../counters/client";
import type { Env } from "../../env";
import { auditStatement } from "../../store/audit";
import { batch } from "../../store/db";
import { forgetKeyHash } from "../../store/keyLookup";
import { purgeKey, updateKeyColumns } from "../../store/keys";
import { requireKey } from "./read";

/** Soft-deletes the key (or, `permanent`, removes its row); it fails its very next verify. */
export async function deleteKey(env: Env, caller: Caller, keyId: string, permanent = false): Promise<void> {
  const key = await requireKey(env, caller, keyId);
  authorize(caller, ...apiPermission(key.api_id, "delete_key"));
  const now = Date.now();
  const removal = () => (permanent ? purgeKey(env.DB, key.id) : [updateKeyColumns(env.DB, key.id, { deleted_at: now }, now)]);
  const audit = () =>
    auditStatement(env.DB, caller, {
      event: "key.delete",
      resources: [{ type: "key", id: key.id }],
      description: `${permanent ? "Permanently deleted" : "Deleted"} key ${key.id} (${key.start}…).`,
    });
  await writeFenced(env, [key.id], () => batch(env.DB, () => [...removal(), audit()]));
  await forgetKeyHash(env.KEY_CACHE, key.hash);
}
