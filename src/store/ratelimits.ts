import { all, batch, first } from "./db";

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

/**
 * How a namespace is named: by id and/or by name (Unkey v1), or by one string that is either
 * (Unkey v2's `namespace`), a name winning over an id that happens to be spelled the same.
 */
export interface NamespaceLookup {
  namespaceId?: string;
  namespaceName?: string;
  idOrName?: string;
}

/** A namespace of this workspace; another workspace's is indistinguishable from none. */
export function findNamespace(db: D1Database, workspaceId: string, by: NamespaceLookup): Promise<NamespaceRow | null> {
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
  let order = "";
  if (by.idOrName !== undefined) {
    filters.push("(name = ? OR id = ?)");
    params.push(by.idOrName, by.idOrName);
    order = "ORDER BY name = ? DESC LIMIT 1";
    params.push(by.idOrName);
  }
  return first<NamespaceRow>(db, `SELECT * FROM ratelimit_namespaces WHERE ${filters.join(" AND ")} ${order}`, ...params);
}

export function insertNamespace(db: D1Database, row: NamespaceRow): D1PreparedStatement {
  return db
    .prepare("INSERT INTO ratelimit_namespaces (id, workspace_id, name, created_at) VALUES (?, ?, ?, ?)")
    .bind(row.id, row.workspace_id, row.name, row.created_at);
}

/** Unkey v1 names a namespace to limit in; v2 gives its name or its id. */
export type NamespaceBy = "name" | "idOrName";

export interface NamespaceWithOverride {
  namespace_id: string;
  namespace_name: string;
  /** The override's columns are null together, when none applies. */
  override_id: string | null;
  limit: number | null;
  duration: number | null;
}

/**
 * In one read: the namespace (by name, or by either name or id, a name first), and the
 * override that applies to the identifier. An exact override wins; otherwise the longest wildcard
 * one (`*` matches any run of characters; GLOB's other special characters are escaped so they
 * match only themselves).
 */
function namespaceWithOverrideStatement(db: D1Database, workspaceId: string, check: { namespace: string; identifier: string }, by: NamespaceBy) {
  return db
    .prepare(
      `SELECT n.id AS namespace_id, n.name AS namespace_name, o.id AS override_id, o."limit" AS "limit", o.duration
         FROM ratelimit_namespaces n
         LEFT JOIN ratelimit_overrides o ON o.id = (
           SELECT id FROM ratelimit_overrides
            WHERE namespace_id = n.id
              AND (identifier = ?1 OR (instr(identifier, '*') > 0 AND ?1 GLOB replace(replace(identifier, '[', '[[]'), '?', '[?]')))
            ORDER BY identifier = ?1 DESC, length(identifier) DESC
            LIMIT 1)
        WHERE n.workspace_id = ?2 AND (n.name = ?3 ${by === "idOrName" ? "OR n.id = ?3" : ""})
        ORDER BY n.name = ?3 DESC
        LIMIT 1`,
    )
    .bind(check.identifier, workspaceId, check.namespace);
}

/** The namespace and applicable override of each check, in one round trip, in the checks' order. */
export async function namespacesWithOverrides(
  db: D1Database,
  workspaceId: string,
  checks: { namespace: string; identifier: string }[],
  by: NamespaceBy,
): Promise<(NamespaceWithOverride | null)[]> {
  const results = await batch(db, () => checks.map((check) => namespaceWithOverrideStatement(db, workspaceId, check, by)));
  return results.map((result) => (result.results[0] as NamespaceWithOverride | undefined) ?? null);
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
