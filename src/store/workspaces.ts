import { first } from "./db";
import { LruCache } from "./lru";

/** A workspace's name never changes, so each isolate reads it from D1 once. */
const names = new LruCache<string>(1_000, Number.POSITIVE_INFINITY);

/** The workspace's name; null when there is no such workspace. */
export async function findWorkspaceName(db: D1Database, workspaceId: string): Promise<string | null> {
  const cached = names.get(workspaceId);
  if (cached !== undefined) return cached;
  const row = await first<{ name: string }>(db, "SELECT name FROM workspaces WHERE id = ?", workspaceId);
  if (!row) return null;
  names.set(workspaceId, row.name);
  return row.name;
}

export async function workspaceExists(db: D1Database, workspaceId: string): Promise<boolean> {
  return (await first<{ id: string }>(db, "SELECT id FROM workspaces WHERE id = ?", workspaceId)) !== null;
}

export function insertWorkspace(db: D1Database, row: { id: string; name: string; created_at: number }): D1PreparedStatement {
  return db.prepare("INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)").bind(row.id, row.name, row.created_at);
}
