import type { Caller } from "../../auth/caller";
import { writeFenced } from "../../counters/client";
import type { Env } from "../../env";
import type { RbacRef } from "../../schemas";
import { auditStatement } from "../../store/audit";
import { batch } from "../../store/db";
import {
  findRbac,
  linkToKey,
  type PermissionRow,
  permissionRowsOfKey,
  type RbacRow,
  type RbacTable,
  type RoleRow,
  roleRowsOfKey,
  unlinkAllFromKey,
  unlinkFromKey,
} from "../../store/rbac";
import {
  authorizeAddingToKey,
  authorizeRemovingFromKey,
  authorizeReplacingOnKey,
  authorizeSeeingOnKey,
  conflictOnTakenName,
  createdAuditEntries,
  type Resolved,
  resolveRbac,
} from "../rbac";
import { requireKey } from "./read";

/** Gives a key these permissions or roles, creating those marked `create`; answers them all. */
export async function addToKey(env: Env, caller: Caller, table: RbacTable, keyId: string, refs: RbacRef[]): Promise<RbacRow[]> {
  authorizeAddingToKey(caller, table);
  const key = await requireKey(env, caller, keyId);
  const resolved = await resolveRbac(env, caller, table, refs);
  await writeLinks(env, caller, table, key.id, resolved, `Added ${table} ${names(resolved)} to`, () => linkToKey(env.DB, table, key.id, ids(resolved)));
  return resolved.rows;
}

/** Takes these permissions or roles from a key; ones it does not hold are left as they are. */
export async function removeFromKey(env: Env, caller: Caller, table: RbacTable, keyId: string, refs: RbacRef[]): Promise<void> {
  authorizeRemovingFromKey(caller, table);
  const key = await requireKey(env, caller, keyId);
  const resolved = await resolveRbac(env, caller, table, refs);
  await writeLinks(env, caller, table, key.id, resolved, `Removed ${table} ${names(resolved)} from`, () => unlinkFromKey(env.DB, table, key.id, ids(resolved)));
}

/** Replaces a key's permissions or roles with exactly these; answers them. */
export async function setOnKey(env: Env, caller: Caller, table: RbacTable, keyId: string, refs: RbacRef[]): Promise<RbacRow[]> {
  authorizeReplacingOnKey(caller, table);
  const key = await requireKey(env, caller, keyId);
  const resolved = await resolveRbac(env, caller, table, refs);
  await writeLinks(env, caller, table, key.id, resolved, `Set ${table} ${names(resolved)} on`, () => [
    unlinkAllFromKey(env.DB, table, key.id),
    ...linkToKey(env.DB, table, key.id, ids(resolved)),
  ]);
  return resolved.rows;
}

/** The permissions a key holds directly, with slugs and descriptions (Unkey v2 answers each change of them with these). */
export async function permissionsOfKey(env: Env, caller: Caller, keyId: string): Promise<PermissionRow[]> {
  authorizeSeeingOnKey(caller, "permissions");
  const key = await requireKey(env, caller, keyId);
  return permissionRowsOfKey(env.DB, key.id);
}

/** The roles a key holds, with descriptions (Unkey v2 answers each change of them with these). */
export async function rolesOfKey(env: Env, caller: Caller, keyId: string): Promise<RoleRow[]> {
  authorizeSeeingOnKey(caller, "roles");
  const key = await requireKey(env, caller, keyId);
  return roleRowsOfKey(env.DB, key.id);
}

/**
 * References to permissions or roles named by name or by id, as Unkey v2 lets keys.removePermissions
 * name them: a value that is the name of one is that one, even if it also looks like an id.
 */
export async function refsByNameOrId(env: Env, caller: Caller, table: RbacTable, values: string[]): Promise<RbacRef[]> {
  const found = await findRbac(env.DB, table, caller.workspaceId, values, values);
  const names = new Set(found.map((row) => row.name));
  const ids = new Set(found.map((row) => row.id));
  return values.map((value) => (!names.has(value) && ids.has(value) ? { id: value } : { name: value }));
}

/** Creates what resolved as missing, changes the links and audits both; the key's very next verify sees it. */
async function writeLinks(
  env: Env,
  caller: Caller,
  table: RbacTable,
  keyId: string,
  resolved: Resolved,
  change: string,
  links: () => D1PreparedStatement[],
): Promise<void> {
  const type = table === "permissions" ? "permission" : "role";
  const statements = () => [
    ...resolved.creates,
    ...links(),
    ...createdAuditEntries(table, resolved.created).map((entry) => auditStatement(env.DB, caller, entry)),
    auditStatement(env.DB, caller, {
      event: table === "permissions" ? "key.permissions.update" : "key.roles.update",
      resources: [{ type: "key", id: keyId }, ...resolved.rows.map((row) => ({ type, id: row.id }))],
      description: `${change} key ${keyId}.`,
    }),
  ];
  await writeFenced(env, [keyId], () => conflictOnTakenName(batch(env.DB, statements)));
}

const ids = (resolved: Resolved) => resolved.rows.map((row) => row.id);
const names = (resolved: Resolved) => `[${resolved.rows.map((row) => row.name).join(", ")}]`;
