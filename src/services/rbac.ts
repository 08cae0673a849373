import { authorize, type Caller } from "../auth/caller";
import type { Env } from "../env";
import { badRequest, KeygateError, notFound } from "../errors";
import { newId } from "../ids";
import type { RbacRef } from "../schemas";
import type { AuditEntry } from "../store/audit";
import { isUniqueViolation } from "../store/db";
import { findRbac, insertRbac, type RbacRow, type RbacTable } from "../store/rbac";

export interface Resolved {
  rows: RbacRow[];
  /** The rows among them that do not exist yet. */
  created: RbacRow[];
  /** Statements creating the missing ones, to run in the same batch as their use. */
  creates: D1PreparedStatement[];
}

const createPermissionFor: Record<RbacTable, string> = { permissions: "rbac.*.create_permission", roles: "rbac.*.create_role" };
const singular: Record<RbacTable, string> = { permissions: "permission", roles: "role" };

/** The root-key rights to give a key permissions or roles and to take them away, whichever route does it. */
const keyLinkPermission = {
  permissions: { add: "rbac.*.add_permission_to_key", remove: "rbac.*.remove_permission_from_key" },
  roles: { add: "rbac.*.add_role_to_key", remove: "rbac.*.remove_role_from_key" },
} as const;

export function authorizeAddingToKey(caller: Caller, table: RbacTable): void {
  authorize(caller, keyLinkPermission[table].add);
}

export function authorizeRemovingFromKey(caller: Caller, table: RbacTable): void {
  authorize(caller, keyLinkPermission[table].remove);
}

/** Replacing what a key holds both takes and gives, even when the new list is empty. */
export function authorizeReplacingOnKey(caller: Caller, table: RbacTable): void {
  authorizeAddingToKey(caller, table);
  authorizeRemovingFromKey(caller, table);
}

/** Either right to change what a key holds lets a caller see what it holds. */
export function authorizeSeeingOnKey(caller: Caller, table: RbacTable): void {
  authorize(caller, keyLinkPermission[table].add, keyLinkPermission[table].remove);
}

/** New keys (createKey, migrations) given permissions or roles need the rights keys.addPermissions and keys.addRoles need. */
export function authorizeLinksOfNewKeys(caller: Caller, keys: readonly { permissions?: readonly string[]; roles?: readonly string[] }[]): void {
  if (keys.some((key) => key.permissions?.length)) authorizeAddingToKey(caller, "permissions");
  if (keys.some((key) => key.roles?.length)) authorizeAddingToKey(caller, "roles");
}

/** Options of the services that give new keys roles by name. */
export interface NewKeyRoles {
  /** Unkey v2: a role that does not exist is a 404, not created. */
  rolesMustExist?: boolean;
}

/** Role names to resolve: created when missing, unless they must exist. */
export function roleNamesToResolve(names: string[], { rolesMustExist }: NewKeyRoles): (string | RbacRef)[] {
  return rolesMustExist ? names.map((name) => ({ name })) : names;
}

/**
 * Resolves references to rows of this workspace. Plain names (createKey's string lists) are
 * created when missing; objects are created only with `create: true`. Creating needs the
 * matching rbac permission.
 */
export async function resolveRbac(env: Env, caller: Caller, table: RbacTable, refs: (string | RbacRef)[]): Promise<Resolved> {
  const wanted = refs.map((ref) => (typeof ref === "string" ? { name: ref, create: true } : { ...ref, name: ref.name ?? ref.slug }));
  for (const ref of wanted) {
    if (!ref.id && !ref.name) throw badRequest(`${table}: each entry needs an id or a name`);
  }
  const existing = await findRbac(
    env.DB,
    table,
    caller.workspaceId,
    wanted.flatMap((r) => (r.id ? [r.id] : [])),
    wanted.flatMap((r) => (r.name ? [r.name] : [])),
  );
  const rows = new Map<string, RbacRow>();
  const created: RbacRow[] = [];
  const creates: D1PreparedStatement[] = [];
  const now = Date.now();
  for (const ref of wanted) {
    // A name matches a permission's name first, else its slug (Unkey v2 names permissions by slug).
    const found = ref.id
      ? existing.find((row) => row.id === ref.id)
      : (existing.find((row) => row.name === ref.name) ?? existing.find((row) => row.slug === ref.name));
    if (found) {
      rows.set(found.id, { id: found.id, name: found.name });
      continue;
    }
    if (ref.id || !ref.create) throw notFound(`${singular[table]} ${ref.id ?? ref.name} not found`);
    if ([...rows.values()].some((row) => row.name === ref.name)) continue;
    authorize(caller, createPermissionFor[table]);
    const row = { id: newId(table === "permissions" ? "perm" : "role"), name: ref.name! };
    rows.set(row.id, row);
    created.push(row);
    creates.push(insertRbac(env.DB, table, caller.workspaceId, row, null, now));
  }
  return { rows: [...rows.values()], created, creates };
}

/** Audit entries for the permissions or roles that resolveRbac creates. */
export function createdAuditEntries(table: RbacTable, created: RbacRow[]): AuditEntry[] {
  const type = singular[table];
  return created.map((row) => ({
    event: table === "permissions" ? "permission.create" : "role.create",
    resources: [{ type, id: row.id }],
    description: `Created ${type} "${row.name}".`,
  }));
}

/**
 * Runs a D1 write that creates permissions or roles whose names were free when checked. A name
 * that a concurrent request took in between is a 409, not a 503.
 */
export async function conflictOnTakenName<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (isUniqueViolation(err, "permissions") || isUniqueViolation(err, "roles")) {
      throw new KeygateError("CONFLICT", "A permission or role of this name was just created by another request; retry.");
    }
    throw err;
  }
}
