import type { Env } from "../env";
import { all } from "./db";

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

export function insertRbac(env: Env, table: RbacTable, workspaceId: string, row: RbacRow, description: string | null, now: number) {
  return table === "permissions"
    ? env.DB.prepare("INSERT INTO permissions (id, workspace_id, name, slug, description, created_at) VALUES (?, ?, ?, ?, ?, ?)").bind(
        row.id,
        workspaceId,
        row.name,
        row.name,
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

/** Keys whose effective permissions depend on this permission or role. */
export async function keysAffectedBy(env: Env, table: RbacTable, id: string): Promise<string[]> {
  const rows =
    table === "roles"
      ? await all<{ key_id: string }>(env, "SELECT key_id FROM keys_roles WHERE role_id = ?", id)
      : await all<{ key_id: string }>(
          env,
          `SELECT key_id FROM keys_permissions WHERE permission_id = ?1
           UNION SELECT kr.key_id FROM keys_roles kr JOIN roles_permissions rp ON rp.role_id = kr.role_id WHERE rp.permission_id = ?1`,
          id,
        );
  return rows.map((row) => row.key_id);
}
