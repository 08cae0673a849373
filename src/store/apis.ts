import { all, first } from "./db";

export interface ApiRow {
  id: string;
  workspace_id: string;
  name: string;
  ip_allowlist: string;
  key_prefixes: string;
  created_at: number;
  verify_max_staleness_ms: number | null;
}

/** A live api of this workspace; another workspace's api is indistinguishable from none. */
export function findApi(db: D1Database, workspaceId: string, apiId: string): Promise<ApiRow | null> {
  return first<ApiRow>(db, "SELECT * FROM apis WHERE id = ? AND workspace_id = ? AND deleted_at IS NULL", apiId, workspaceId);
}

/** A page of the workspace's live apis in id order, one row more than `limit` when there is more. */
export function listApiRows(db: D1Database, workspaceId: string, page: { limit: number; cursor?: string }): Promise<ApiRow[]> {
  return all<ApiRow>(
    db,
    `SELECT * FROM apis WHERE workspace_id = ? AND deleted_at IS NULL ${page.cursor === undefined ? "" : "AND id > ?"} ORDER BY id LIMIT ?`,
    workspaceId,
    ...(page.cursor === undefined ? [] : [page.cursor]),
    page.limit + 1,
  );
}

export function insertApi(db: D1Database, api: Omit<ApiRow, "ip_allowlist" | "key_prefixes"> & { ipAllowlist: string[]; keyPrefixes: Record<string, string> }) {
  return db
    .prepare("INSERT INTO apis (id, workspace_id, name, ip_allowlist, key_prefixes, created_at, verify_max_staleness_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .bind(api.id, api.workspace_id, api.name, JSON.stringify(api.ipAllowlist), JSON.stringify(api.keyPrefixes), api.created_at, api.verify_max_staleness_ms);
}

export type ApiColumns = Partial<Pick<ApiRow, "verify_max_staleness_ms" | "ip_allowlist" | "key_prefixes">>;

/** Updates only the given columns (at least one). */
export function updateApiColumns(db: D1Database, apiId: string, columns: ApiColumns): D1PreparedStatement {
  const assignments = Object.keys(columns).map((column) => `${column} = ?`);
  return db.prepare(`UPDATE apis SET ${assignments.join(", ")} WHERE id = ?`).bind(...Object.values(columns), apiId);
}

export function softDeleteApi(db: D1Database, apiId: string, now: number) {
  return [
    db.prepare("UPDATE apis SET deleted_at = ? WHERE id = ?").bind(now, apiId),
    db.prepare("UPDATE keys SET deleted_at = ? WHERE api_id = ? AND deleted_at IS NULL").bind(now, apiId),
  ];
}

/** The api's live keys, as `key_id` rows. */
export function liveKeysOfApiStatement(db: D1Database, apiId: string): D1PreparedStatement {
  return db.prepare("SELECT id AS key_id FROM keys WHERE api_id = ? AND deleted_at IS NULL").bind(apiId);
}
