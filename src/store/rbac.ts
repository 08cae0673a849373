import { all, first } from "./db";

export type RbacTable = "permissions" | "roles";

export interface RbacRow {
  id: string;
  name: string;
}

/** D1 binds at most 100 parameters to one statement. */
const MAX_BOUND_PARAMETERS = 100;

/** Runs `query` on slices of `values` small enough to bind beside one more parameter, and joins their rows. */
async function allInSlices<T>(values: string[], query: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const size = MAX_BOUND_PARAMETERS - 1;
  const slices: string[][] = [];
  for (let at = 0; at < values.length; at += size) slices.push(values.slice(at, at + size));
  return (await Promise.all(slices.map(query))).flat();
}

const marks = (list: string[]) => list.map(() => "?").join(", ");

/** Rows of a workspace whose `column` is one of `values`, each row once. */
async function rowsWhereAnyOf<Row extends { id: string }>(
  db: D1Database,
  select: string,
  workspaceId: string,
  matches: { column: string; values: string[] }[],
): Promise<Row[]> {
  const found = await Promise.all(
    matches.map(({ column, values }) =>
      allInSlices(values, (slice) => all<Row>(db, `${select} WHERE workspace_id = ? AND ${column} IN (${marks(slice)})`, workspaceId, ...slice)),
    ),
  );
  return [...new Map(found.flat().map((row) => [row.id, row])).values()];
}

/** Permissions or roles of a workspace matching any of these ids or names (or, for permissions, slugs). */
export function findRbac(db: D1Database, table: RbacTable, workspaceId: string, ids: string[], names: string[]): Promise<(RbacRow & { slug?: string })[]> {
  const bySlug = table === "permissions" ? [{ column: "slug", values: names }] : [];
  return rowsWhereAnyOf<RbacRow>(db, `SELECT id, name${table === "permissions" ? ", slug" : ""} FROM ${table}`, workspaceId, [
    { column: "id", values: ids },
    { column: "name", values: names },
    ...bySlug,
  ]);
}

/** A permission's slug defaults to its name. */
export function insertRbac(db: D1Database, table: RbacTable, workspaceId: string, row: RbacRow & { slug?: string }, description: string | null, now: number) {
  return table === "permissions"
    ? db
        .prepare("INSERT INTO permissions (id, workspace_id, name, slug, description, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(row.id, workspaceId, row.name, row.slug ?? row.name, description, now)
    : db
        .prepare("INSERT INTO roles (id, workspace_id, name, description, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(row.id, workspaceId, row.name, description, now);
}

const linkTable = { permissions: ["keys_permissions", "permission_id"], roles: ["keys_roles", "role_id"] } as const;

export function linkToKey(db: D1Database, table: RbacTable, keyId: string, ids: string[]): D1PreparedStatement[] {
  const [links, column] = linkTable[table];
  return ids.map((id) => db.prepare(`INSERT OR IGNORE INTO ${links} (key_id, ${column}) VALUES (?, ?)`).bind(keyId, id));
}

export function unlinkFromKey(db: D1Database, table: RbacTable, keyId: string, ids: string[]): D1PreparedStatement[] {
  const [links, column] = linkTable[table];
  return ids.map((id) => db.prepare(`DELETE FROM ${links} WHERE key_id = ? AND ${column} = ?`).bind(keyId, id));
}

export function unlinkAllFromKey(db: D1Database, table: RbacTable, keyId: string): D1PreparedStatement {
  const [links] = linkTable[table];
  return db.prepare(`DELETE FROM ${links} WHERE key_id = ?`).bind(keyId);
}

/** Keys whose effective permissions depend on this permission or role, as `key_id` rows. */
export function keysAffectedStatement(db: D1Database, table: RbacTable, id: string): D1PreparedStatement {
  return table === "roles"
    ? db.prepare("SELECT key_id FROM keys_roles WHERE role_id = ?").bind(id)
    : db
        .prepare(
          `SELECT key_id FROM keys_permissions WHERE permission_id = ?1
         UNION SELECT kr.key_id FROM keys_roles kr JOIN roles_permissions rp ON rp.role_id = kr.role_id WHERE rp.permission_id = ?1`,
        )
        .bind(id);
}

export interface PermissionRow {
  id: string;
  name: string;
  slug: string;
  description: string | null;
}

export interface RoleRow {
  id: string;
  name: string;
  description: string | null;
}

/** The permissions a key holds directly (not through roles), by name. */
export function permissionRowsOfKey(db: D1Database, keyId: string): Promise<PermissionRow[]> {
  return all<PermissionRow>(
    db,
    "SELECT p.id, p.name, p.slug, p.description FROM keys_permissions kp JOIN permissions p ON p.id = kp.permission_id WHERE kp.key_id = ? ORDER BY p.name",
    keyId,
  );
}

/** The roles a key holds, by name. */
export function roleRowsOfKey(db: D1Database, keyId: string): Promise<RoleRow[]> {
  return all<RoleRow>(db, "SELECT r.id, r.name, r.description FROM keys_roles kr JOIN roles r ON r.id = kr.role_id WHERE kr.key_id = ? ORDER BY r.name", keyId);
}

export function findPermission(db: D1Database, workspaceId: string, permissionId: string): Promise<PermissionRow | null> {
  return first<PermissionRow>(db, "SELECT id, name, slug, description FROM permissions WHERE id = ? AND workspace_id = ?", permissionId, workspaceId);
}

/**
 * The permission with this id, or else with this slug. Slugs made before they had to be unique
 * may repeat: the oldest such permission is the one found.
 */
export function findPermissionByIdOrSlug(db: D1Database, workspaceId: string, idOrSlug: string): Promise<PermissionRow | null> {
  return first<PermissionRow>(
    db,
    `SELECT id, name, slug, description FROM permissions WHERE workspace_id = ?1 AND (id = ?2 OR slug = ?2)
      ORDER BY id = ?2 DESC, created_at, id LIMIT 1`,
    workspaceId,
    idOrSlug,
  );
}

/** Whether a permission of the workspace already has this slug. */
export async function isPermissionSlugTaken(db: D1Database, workspaceId: string, slug: string): Promise<boolean> {
  return (await first(db, "SELECT 1 FROM permissions WHERE workspace_id = ? AND slug = ? LIMIT 1", workspaceId, slug)) !== null;
}

export interface RbacPageQuery {
  limit: number;
  cursor?: string;
  /** Keeps rows where any searched column contains this text, ignoring ASCII case. */
  search?: string;
}

/** One page of a workspace's rows in id order: one row more than `limit` when there is more. */
function rbacPage<Row>(db: D1Database, select: string, searched: string[], workspaceId: string, query: RbacPageQuery): Promise<Row[]> {
  const filters = ["workspace_id = ?"];
  const params: unknown[] = [workspaceId];
  if (query.search !== undefined) {
    // instr, not LIKE: D1 refuses LIKE patterns over 50 bytes, and instr needs no escaping.
    filters.push(`(${searched.map((column) => `instr(lower(${column}), lower(?)) > 0`).join(" OR ")})`);
    params.push(...searched.map(() => query.search));
  }
  if (query.cursor !== undefined) {
    filters.push("id > ?");
    params.push(query.cursor);
  }
  return all<Row>(db, `${select} WHERE ${filters.join(" AND ")} ORDER BY id LIMIT ?`, ...params, query.limit + 1);
}

export function listPermissionPage(db: D1Database, workspaceId: string, query: RbacPageQuery): Promise<PermissionRow[]> {
  return rbacPage(db, "SELECT id, name, slug, description FROM permissions", ["id", "name", "slug", "description"], workspaceId, query);
}

export function listRolePage(db: D1Database, workspaceId: string, query: RbacPageQuery): Promise<RoleRow[]> {
  return rbacPage(db, "SELECT id, name, description FROM roles", ["id", "name", "description"], workspaceId, query);
}

export function listPermissionRows(db: D1Database, workspaceId: string): Promise<PermissionRow[]> {
  return all<PermissionRow>(db, "SELECT id, name, slug, description FROM permissions WHERE workspace_id = ? ORDER BY name", workspaceId);
}

export function findRole(db: D1Database, workspaceId: string, roleId: string): Promise<RoleRow | null> {
  return first<RoleRow>(db, "SELECT id, name, description FROM roles WHERE id = ? AND workspace_id = ?", roleId, workspaceId);
}

/** The role with this id, or else with this name. */
export function findRoleByIdOrName(db: D1Database, workspaceId: string, idOrName: string): Promise<RoleRow | null> {
  return first<RoleRow>(
    db,
    "SELECT id, name, description FROM roles WHERE workspace_id = ?1 AND (id = ?2 OR name = ?2) ORDER BY id = ?2 DESC LIMIT 1",
    workspaceId,
    idOrName,
  );
}

export function listRoleRows(db: D1Database, workspaceId: string): Promise<RoleRow[]> {
  return all<RoleRow>(db, "SELECT id, name, description FROM roles WHERE workspace_id = ? ORDER BY name", workspaceId);
}

export async function permissionNamesOfRole(db: D1Database, roleId: string): Promise<string[]> {
  const rows = await all<{ name: string }>(
    db,
    "SELECT p.name FROM roles_permissions rp JOIN permissions p ON p.id = rp.permission_id WHERE rp.role_id = ? ORDER BY p.name",
    roleId,
  );
  return rows.map((row) => row.name);
}

/** The permissions of several roles, by role id, each list by name. */
export async function permissionsOfRoles(db: D1Database, roleIds: string[]): Promise<Map<string, PermissionRow[]>> {
  const permissions = new Map<string, PermissionRow[]>(roleIds.map((id) => [id, []]));
  if (roleIds.length === 0) return permissions;
  const rows = await all<PermissionRow & { role_id: string }>(
    db,
    `SELECT rp.role_id, p.id, p.name, p.slug, p.description FROM roles_permissions rp JOIN permissions p ON p.id = rp.permission_id
      WHERE rp.role_id IN (${roleIds.map(() => "?").join(", ")}) ORDER BY p.name`,
    ...roleIds,
  );
  for (const { role_id, ...permission } of rows) permissions.get(role_id)!.push(permission);
  return permissions;
}

export function unlinkAllPermissionsFromRole(db: D1Database, roleId: string): D1PreparedStatement {
  return db.prepare("DELETE FROM roles_permissions WHERE role_id = ?").bind(roleId);
}

export function linkPermissionsToRole(db: D1Database, roleId: string, permissionIds: string[]): D1PreparedStatement[] {
  return permissionIds.map((id) => db.prepare("INSERT OR IGNORE INTO roles_permissions (role_id, permission_id) VALUES (?, ?)").bind(roleId, id));
}

/**
 * Deletes a permission or role with every link to it. D1 does not promise to enforce the
 * schema's ON DELETE CASCADE, so the links are deleted explicitly, in the same batch.
 */
export function deleteRbac(db: D1Database, table: RbacTable, id: string): D1PreparedStatement[] {
  const links =
    table === "permissions"
      ? [
          db.prepare("DELETE FROM keys_permissions WHERE permission_id = ?").bind(id),
          db.prepare("DELETE FROM roles_permissions WHERE permission_id = ?").bind(id),
        ]
      : [db.prepare("DELETE FROM keys_roles WHERE role_id = ?").bind(id), db.prepare("DELETE FROM roles_permissions WHERE role_id = ?").bind(id)];
  return [...links, db.prepare(`DELETE FROM ${table} WHERE id = ?`).bind(id)];
}
