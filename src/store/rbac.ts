import type { Env } from "../env";
import { all, first } from "./db";

export type RbacTable = "permissions" | "roles";

export interface RbacRow {
  id: string;
  name: string;
}

/** Permissions or roles of a workspace matching any of these ids or names. */
export function findRbac(env: Env, table: RbacTable, workspaceId: string, ids: string[], names: string[]): Promise<RbacRow[]> {
  if (ids.length === 0 && names.length === 0) return Promise.resolve([]);
  const marks = (list: string[]) => list.map(() => "?").join(", ") || "NULL";
  return all<RbacRow>(
    env,
    `SELECT id, name FROM ${table} WHERE workspace_id = ? AND (id IN (${marks(ids)}) OR name IN (${marks(names)}))`,
    workspaceId,
    ...ids,
    ...names,
  );
}

/** A permission's slug defaults to its name. */
export function insertRbac(
  env: Env,
  table: RbacTable,
  workspaceId: string,
  row: RbacRow & { slug?: string },
  description: string | null,
  now: number,
) {
  return table === "permissions"
    ? env.DB.prepare("INSERT INTO permissions (id, workspace_id, name, slug, description, created_at) VALUES (?, ?, ?, ?, ?, ?)").bind(
        row.id,
        workspaceId,
        row.name,
        row.slug ?? row.name,
        description,
        now,
      )
    : env.DB.prepare("INSERT INTO roles (id, workspace_id, name, description, created_at) VALUES (?, ?, ?, ?, ?)").bind(
        row.id,
        workspaceId,
        row.name,
        description,
        now,
      );
}

const linkTable = { permissions: ["keys_permissions", "permission_id"], roles: ["keys_roles", "role_id"] } as const;

export function linkToKey(env: Env, table: RbacTable, keyId: string, ids: string[]): D1PreparedStatement[] {
  const [links, column] = linkTable[table];
  return ids.map((id) => env.DB.prepare(`INSERT OR IGNORE INTO ${links} (key_id, ${column}) VALUES (?, ?)`).bind(keyId, id));
}

export function unlinkFromKey(env: Env, table: RbacTable, keyId: string, ids: string[]): D1PreparedStatement[] {
  const [links, column] = linkTable[table];
  return ids.map((id) => env.DB.prepare(`DELETE FROM ${links} WHERE key_id = ? AND ${column} = ?`).bind(keyId, id));
}

export function unlinkAllFromKey(env: Env, table: RbacTable, keyId: string): D1PreparedStatement {
  const [links] = linkTable[table];
  return env.DB.prepare(`DELETE FROM ${links} WHERE key_id = ?`).bind(keyId);
}

/** Keys whose effective permissions depend on this permission or role, as `key_id` rows. */
export function keysAffectedStatement(env: Env, table: RbacTable, id: string): D1PreparedStatement {
  return table === "roles"
    ? env.DB.prepare("SELECT key_id FROM keys_roles WHERE role_id = ?").bind(id)
    : env.DB.prepare(
        `SELECT key_id FROM keys_permissions WHERE permission_id = ?1
         UNION SELECT kr.key_id FROM keys_roles kr JOIN roles_permissions rp ON rp.role_id = kr.role_id WHERE rp.permission_id = ?1`,
      ).bind(id);
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

export function findPermission(env: Env, workspaceId: string, permissionId: string): Promise<PermissionRow | null> {
  return first<PermissionRow>(env, "SELECT id, name, slug, description FROM permissions WHERE id = ? AND workspace_id = ?", permissionId, workspaceId);
}

export function listPermissionRows(env: Env, workspaceId: string): Promise<PermissionRow[]> {
  return all<PermissionRow>(env, "SELECT id, name, slug, description FROM permissions WHERE workspace_id = ? ORDER BY name", workspaceId);
}

export function findRole(env: Env, workspaceId: string, roleId: string): Promise<RoleRow | null> {
  return first<RoleRow>(env, "SELECT id, name, description FROM roles WHERE id = ? AND workspace_id = ?", roleId, workspaceId);
}

export function listRoleRows(env: Env, workspaceId: string): Promise<RoleRow[]> {
  return all<RoleRow>(env, "SELECT id, name, description FROM roles WHERE workspace_id = ? ORDER BY name", workspaceId);
}

export async function permissionNamesOfRole(env: Env, roleId: string): Promise<string[]> {
  const rows = await all<{ name: string }>(
    env,
    "SELECT p.name FROM roles_permissions rp JOIN permissions p ON p.id = rp.permission_id WHERE rp.role_id = ? ORDER BY p.name",
    roleId,
  );
  return rows.map((row) => row.name);
}

export function linkPermissionsToRole(env: Env, roleId: string, permissionIds: string[]): D1PreparedStatement[] {
  return permissionIds.map((id) =>
    env.DB.prepare("INSERT OR IGNORE INTO roles_permissions (role_id, permission_id) VALUES (?, ?)").bind(roleId, id),
  );
}

/**
 * Deletes a permission or role with every link to it. D1 does not promise to enforce the
 * schema's ON DELETE CASCADE, so the links are deleted explicitly, in the same batch.
 */
export function deleteRbac(env: Env, table: RbacTable, id: string): D1PreparedStatement[] {
  const links =
    table === "permissions"
      ? [
          env.DB.prepare("DELETE FROM keys_permissions WHERE permission_id = ?").bind(id),
          env.DB.prepare("DELETE FROM roles_permissions WHERE permission_id = ?").bind(id),
        ]
      : [
          env.DB.prepare("DELETE FROM keys_roles WHERE role_id = ?").bind(id),
          env.DB.prepare("DELETE FROM roles_permissions WHERE role_id = ?").bind(id),
        ];
  return [...links, env.DB.prepare(`DELETE FROM ${table} WHERE id = ?`).bind(id)];
}
