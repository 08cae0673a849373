import { all, first } from "./db";

export interface RootKeyRow {
  id: string;
  workspace_id: string;
  hash: string;
  start: string;
  name: string | null;
  /** JSON array of permission patterns. */
  permissions: string;
  expires: number | null;
  /** The id of the root key that created this one; null for rows made before it was recorded. */
  created_by: string | null;
  created_at: number;
}

export function insertRootKey(db: D1Database, row: RootKeyRow): D1PreparedStatement {
  return db
    .prepare("INSERT INTO root_keys (id, workspace_id, hash, start, name, permissions, expires, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    .bind(row.id, row.workspace_id, row.hash, row.start, row.name, row.permissions, row.expires, row.created_by, row.created_at);
}

/**
 * The workspace's root keys that are not deleted, oldest first; expired ones included. With a
 * page: at most `limit` + 1 of them (one more tells there are more), after the key `after`.
 */
export function liveRootKeys(
  db: D1Database,
  workspaceId: string,
  page?: { limit: number; after?: { createdAt: number; id: string } },
): Promise<Omit<RootKeyRow, "hash" | "workspace_id">[]> {
  const after = page?.after ? "AND (created_at > ? OR (created_at = ? AND id > ?))" : "";
  return all(
    db,
    `SELECT id, name, start, permissions, expires, created_by, created_at FROM root_keys
      WHERE workspace_id = ? AND deleted_at IS NULL ${after} ORDER BY created_at, id ${page ? "LIMIT ?" : ""}`,
    workspaceId,
    ...(page?.after ? [page.after.createdAt, page.after.createdAt, page.after.id] : []),
    ...(page ? [page.limit + 1] : []),
  );
}

export function findLiveRootKey(db: D1Database, workspaceId: string, keyId: string): Promise<{ id: string } | null> {
  return first<{ id: string }>(db, "SELECT id FROM root_keys WHERE id = ? AND workspace_id = ? AND deleted_at IS NULL", keyId, workspaceId);
}

export function softDeleteRootKey(db: D1Database, keyId: string, now: number): D1PreparedStatement {
  return db.prepare("UPDATE root_keys SET deleted_at = ? WHERE id = ?").bind(now, keyId);
}

/** A root key's name, null when it has none (or is gone). */
export async function rootKeyName(db: D1Database, keyId: string): Promise<string | null> {
  const row = await first<{ name: string | null }>(db, "SELECT name FROM root_keys WHERE id = ?", keyId);
  return row?.name ?? null;
}

/** The live root key with this hash, for authenticating a call; an expired one is still returned. */
export function rootKeyByHash(db: D1Database, hash: string) {
  return first<Pick<RootKeyRow, "id" | "workspace_id" | "permissions" | "expires">>(
    db,
    "SELECT id, workspace_id, permissions, expires FROM root_keys WHERE hash = ? AND deleted_at IS NULL",
    hash,
  );
}
