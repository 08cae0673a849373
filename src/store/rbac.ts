import { all, first } from "./db";

export type RbacTable = "permissions" | "roles";

export interface RbacRow {
  id: string;
  name: string;
}

/** Permissions or roles of a workspace matching any of these ids or names. */
export function findRbac(db: D1Database, table: RbacTable, workspaceId: string, ids: string[], names: string[]): Promise<RbacRow[]> {
  if (ids.length === 0 && names.length === 0) return Promise.resolve([]);
  const marks = (list: string[]) => list.map(() => "?").join(", ") || "NULL";
  return all<RbacRow>(
    db,
    `SELECT id, name FROM ${table} WHERE workspace_id = ? AND (id IN (${marks(ids)}) OR name IN (${marks(names)}))`,
    workspaceId,
    ...ids,
    ...names,
  );
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

export function findPermission(db: D1Database, workspaceId: string, permissionId: string): Promise<PermissionRow | null> {
  return first<PermissionRow>(db, "SELECT id, name, slug, description FROM permissions WHERE id = ? AND workspace_id = ?", permissionId, workspaceId);
}

export function listPermissionRows(db: D1Database, workspaceId: string): Promise<PermissionRow[]> {
  return all<PermissionRow>(db, "SELECT id, name, slug, description FROM permissions WHERE workspace_id = ? ORDER BY name", workspaceId);
}

export function findRole(db: D1Database, workspaceId: string, roleId: string): Promise<RoleRow | null> {
  return first<RoleRow>(db, "SELECT id, name, description FROM roles WHERE id = ? AND workspace_id = ?", roleId, workspaceId);
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
