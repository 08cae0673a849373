import { all, first } from "./db";

export interface NamespaceRow {
  id: string;
  workspace_id: string;
  name: string;
  created_at: number;
}

export interface OverrideRow {
  id: string;
  namespace_id: string;
  identifier: string;
  limit: number;
  duration: number;
  async: number | null;
  created_at: number;
}

/** A namespace of this workspace by id and/or name; another workspace's is indistinguishable from none. */
export function findNamespace(db: D1Database, workspaceId: string, by: { namespaceId?: string; namespaceName?: string }): Promise<NamespaceRow | null> {
  const filters = ["workspace_id = ?"];
  const params: unknown[] = [workspaceId];
  if (by.namespaceId !== undefined) {
    filters.push("id = ?");
    params.push(by.namespaceId);
  }
  if (by.namespaceName !== undefined) {
    filters.push("name = ?");
    params.push(by.namespaceName);
  }
  return first<NamespaceRow>(db, `SELECT * FROM ratelimit_namespaces WHERE ${filters.join(" AND ")}`, ...params);
}

export function insertNamespace(db: D1Database, row: NamespaceRow): D1PreparedStatement {
  return db
    .prepare("INSERT INTO ratelimit_namespaces (id, workspace_id, name, created_at) VALUES (?, ?, ?, ?)")
    .bind(row.id, row.workspace_id, row.name, row.created_at);
}

/**
 * In one read: the namespace, and the override that applies to the identifier. An exact
 * override wins; otherwise the longest wildcard one (`*` matches any run of characters; GLOB's
 * other special characters are escaped so they match only themselves).
 */
export function namespaceWithOverride(
  db: D1Database,
  workspaceId: string,
  namespaceName: string,
  identifier: string,
): Promise<{ namespace_id: string; limit: number | null; duration: number | null } | null> {
  return first(
    db,
    `SELECT n.id AS namespace_id, o."limit" AS "limit", o.duration
       FROM ratelimit_namespaces n
       LEFT JOIN ratelimit_overrides o ON o.id = (
         SELECT id FROM ratelimit_overrides
          WHERE namespace_id = n.id
            AND (identifier = ?1 OR (instr(identifier, '*') > 0 AND ?1 GLOB replace(replace(identifier, '[', '[[]'), '?', '[?]')))
          ORDER BY identifier = ?1 DESC, length(identifier) DESC
          LIMIT 1)
      WHERE n.workspace_id = ?2 AND n.name = ?3`,
    identifier,
    workspaceId,
    namespaceName,
  );
}

export function findOverride(db: D1Database, namespaceId: string, identifier: string): Promise<OverrideRow | null> {
  return first<OverrideRow>(db, "SELECT * FROM ratelimit_overrides WHERE namespace_id = ? AND identifier = ?", namespaceId, identifier);
}

/** Creates the override or replaces the one for the same identifier; answers its id. */
export function upsertOverride(db: D1Database, row: OverrideRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO ratelimit_overrides (id, namespace_id, identifier, "limit", duration, async, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (namespace_id, identifier) DO UPDATE SET "limit" = excluded."limit", duration = excluded.duration, async = excluded.async
     RETURNING id`,
    )
    .bind(row.id, row.namespace_id, row.identifier, row.limit, row.duration, row.async, row.created_at);
}

export function deleteOverrideStatement(db: D1Database, overrideId: string): D1PreparedStatement {
  return db.prepare("DELETE FROM ratelimit_overrides WHERE id = ?").bind(overrideId);
}

/** One page of a namespace's overrides in id order, and how many there are in all. */
export async function listOverrideRows(db: D1Database, namespaceId: string, page: { limit: number; cursor?: string }) {
  const [rows, total] = await Promise.all([
    all<OverrideRow>(
      db,
      `SELECT * FROM ratelimit_overrides WHERE namespace_id = ? ${page.cursor ? "AND id > ?" : ""} ORDER BY id LIMIT ?`,
      namespaceId,
      ...(page.cursor ? [page.cursor] : []),
      page.limit + 1,
    ),
    first<{ total: number }>(db, "SELECT COUNT(*) AS total FROM ratelimit_overrides WHERE namespace_id = ?", namespaceId),
  ]);
  return { rows, total: total?.total ?? 0 };
}
