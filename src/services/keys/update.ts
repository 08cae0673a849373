import { apiPermission, authorize, type Caller } from "../../auth/caller";
import { writeFenced } from "../../counters/client";
import type { Env } from "../../env";
import { badRequest, KeygateError } from "../../errors";
import type { UpdateKeyInput } from "../../schemas";
import { type AuditEntry, auditStatement } from "../../store/audit";
import { batch } from "../../store/db";
import { linkKeyToExternalId } from "../../store/identities";
import { type KeyColumns, type KeyRow, replaceKeyLimits, setCreditsStatement, updateKeyColumns } from "../../store/keys";
import { linkToKey, unlinkAllFromKey } from "../../store/rbac";
import { assertValidAllowlist } from "../apis";
import { authorizeReplacingOnKey, resolveRbac } from "../rbac";
import { requireKey } from "./read";
import { assertCredits, assertFuture, ratelimitColumns, refillColumns } from "./settings";

/** Applies only the fields given; the key's very next verify sees the change. */
export async function updateKey(env: Env, caller: Caller, input: UpdateKeyInput): Promise<void> {
  const key = await requireKey(env, caller, input.keyId);
  authorize(caller, ...apiPermission(key.api_id, "update_key"));
  // Given here, permissions and roles replace the key's, as keys.setPermissions and keys.setRoles do.
  if (input.permissions) authorizeReplacingOnKey(caller, "permissions");
  if (input.roles) authorizeReplacingOnKey(caller, "roles");
  const now = Date.now();
  if (input.enabled === true && key.revoked_at !== null) {
    throw new KeygateError("PRECONDITION_FAILED", `key ${key.id} was revoked; a revoked key cannot be enabled again. Issue a new key.`);
  }
  assertFuture(input.expires ?? undefined, now);
  if (input.ipAllowlist) assertValidAllowlist(input.ipAllowlist);
  const remainingAfter = input.remaining !== undefined ? input.remaining : key.remaining;
  const refillAfter = input.refill !== undefined ? input.refill : key.refill_interval;
  if (refillAfter && (remainingAfter === null || remainingAfter === undefined)) {
    throw badRequest("refill: a key needs remaining credits to be refilled; set remaining too");
  }
  if (input.refill) assertCredits(remainingAfter ?? undefined, input.refill);

  const columns: KeyColumns = {};
  if (input.name !== undefined) columns.name = input.name;
  if (input.ownerId !== undefined) columns.owner_id = input.ownerId;
  if (input.meta !== undefined) columns.meta = input.meta === null ? null : JSON.stringify(input.meta);
  if (input.expires !== undefined) columns.expires = input.expires;
  if (input.enabled !== undefined) columns.enabled = input.enabled ? 1 : 0;
  if (input.tier !== undefined) columns.tier = input.tier;
  if (input.ipAllowlist !== undefined) columns.ip_allowlist = JSON.stringify(input.ipAllowlist);
  if (input.ratelimit !== undefined) Object.assign(columns, ratelimitColumns(input.ratelimit));
  if (input.refill !== undefined) Object.assign(columns, refillColumns(input.refill));

  const [permissions, roles] = await Promise.all([
    input.permissions ? resolveRbac(env, caller, "permissions", input.permissions) : undefined,
    input.roles ? resolveRbac(env, caller, "roles", input.roles) : undefined,
  ]);
  const statements = (): D1PreparedStatement[] => [
    updateKeyColumns(env.DB, key.id, columns, now),
    ...(input.remaining !== undefined ? [setCreditsStatement(env.DB, key.id, input.remaining, now)] : []),
    ...(input.externalId !== undefined ? linkKeyToExternalId(env.DB, caller.workspaceId, key.id, input.externalId, now) : []),
    ...(input.ratelimits ? replaceKeyLimits(env.DB, caller.workspaceId, key.id, input.ratelimits) : []),
    ...(permissions
      ? [
          ...permissions.creates,
          unlinkAllFromKey(env.DB, "permissions", key.id),
          ...linkToKey(
            env.DB,
            "permissions",
            key.id,
            permissions.rows.map((p) => p.id),
          ),
        ]
      : []),
    ...(roles
      ? [
          ...roles.creates,
          unlinkAllFromKey(env.DB, "roles", key.id),
          ...linkToKey(
            env.DB,
            "roles",
            key.id,
            roles.rows.map((r) => r.id),
          ),
        ]
      : []),
    ...updateAuditEntries(key, input).map((entry) => auditStatement(env.DB, caller, entry)),
  ];
  await writeFenced(env, [key.id], () => batch(env.DB, statements));
}

function updateAuditEntries(key: KeyRow, input: UpdateKeyInput): AuditEntry[] {
  const resources = [{ type: "key", id: key.id }];
  const entries: AuditEntry[] = [];
  const { keyId: _keyId, enabled, ipAllowlist, ...rest } = input;
  if (enabled !== undefined) {
    entries.push({ event: enabled ? "key.enable" : "key.disable", resources, description: `${enabled ? "Enabled" : "Disabled"} key ${key.id}.` });
  }
  if (ipAllowlist !== undefined) {
    entries.push({ event: "key.ip_allowlist.update", resources, description: `Set the IP allowlist of key ${key.id} to [${ipAllowlist.join(", ")}].` });
  }
  const fields = Object.entries(rest)
    .filter(([, value]) => value !== undefined)
    .map(([field]) => field);
  if (fields.length > 0 || entries.length === 0) {
    entries.push({ event: "key.update", resources, description: `Updated ${fields.join(", ") || "nothing"} of key ${key.id}.` });
  }
  return entries;
}
