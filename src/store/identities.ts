import { newId } from "../ids";
import { all, first } from "./db";

/**
 * Points a key at the identity with this externalId, creating the identity if needed, as
 * statements for the same batch as the key write (so a failed write leaves no identity behind).
 */
export function linkKeyToExternalId(db: D1Database, workspaceId: string, keyId: string, externalId: string | null, now: number): D1PreparedStatement[] {
  if (externalId === null) return [db.prepare("UPDATE keys SET identity_id = NULL WHERE id = ?").bind(keyId)];
  return [
    db
      .prepare("INSERT OR IGNORE INTO identities (id, workspace_id, external_id, created_at) VALUES (?, ?, ?, ?)")
      .bind(newId("id"), workspaceId, externalId, now),
    db
      .prepare("UPDATE keys SET identity_id = (SELECT id FROM identities WHERE workspace_id = ? AND external_id = ? AND deleted_at IS NULL) WHERE id = ?")
      .bind(workspaceId, externalId, keyId),
  ];
}

export interface IdentityRow {
  id: string;
  workspace_id: string;
  external_id: string;
  environment: string;
  meta: string;
  tier: string | null;
  created_at: number;
  updated_at: number | null;
}

/** A named limit as stored: verify checks it when asked for by name, or always when autoApply. */
export interface NamedLimitRow {
  id: string;
  name: string;
  limit: number;
  duration: number;
  autoApply: boolean;
}

/** A named limit to store; its id is made on insert. */
export type NewNamedLimit = Omit<NamedLimitRow, "id" | "autoApply"> & { autoApply?: boolean };

/** The columns of `ratelimits` read as a NamedLimitRow. */
export const NAMED_LIMIT_COLUMNS = 'id, name, "limit" AS "limit", duration, auto_apply';

export function namedLimitOf(row: { id: string; name: string; limit: number; duration: number; auto_apply: number }): NamedLimitRow {
  return { id: row.id, name: row.name, limit: row.limit, duration: row.duration, autoApply: row.auto_apply === 1 };
}

/** Replaces the named limits of one key or one identity. */
export function replaceNamedLimits(
  db: D1Database,
  workspaceId: string,
  owner: { column: "key_id" | "identity_id"; id: string },
  limits: NewNamedLimit[],
): D1PreparedStatement[] {
  return [
    db.prepare(`DELETE FROM ratelimits WHERE ${owner.column} = ?`).bind(owner.id),
    ...limits.map((l) =>
      db
        .prepare(`INSERT INTO ratelimits (id, workspace_id, ${owner.column}, name, "limit", duration, auto_apply) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .bind(newId("rl"), workspaceId, owner.id, l.name, l.limit, l.duration, l.autoApply ? 1 : 0),
    ),
  ];
}

/** A live identity of this workspace by id and/or externalId; another workspace's is indistinguishable from none. */
export function findIdentity(db: D1Database, workspaceId: string, by: { identityId?: string; externalId?: string }): Promise<IdentityRow | null> {
  const filters = ["workspace_id = ?", "deleted_at IS NULL"];
  const params: unknown[] = [workspaceId];
  if (by.identityId !== undefined) {
    filters.push("id = ?");
    params.push(by.identityId);
  }
  if (by.externalId !== undefined) {
    filters.push("external_id = ?");
    params.push(by.externalId);
  }
  return first<IdentityRow>(db, `SELECT * FROM identities WHERE ${filters.join(" AND ")}`, ...params);
}

export interface IdentityPageQuery {
  limit: number;
  cursor?: string;
  environment?: string;
  /** Keeps identities whose externalId contains this text, ignoring ASCII case. */
  search?: string;
}

/** One page of live identities in id order, and how many there are in all. */
export async function listIdentityRows(db: D1Database, workspaceId: string, query: IdentityPageQuery) {
  const filters = ["workspace_id = ?", "deleted_at IS NULL"];
  const params: unknown[] = [workspaceId];
  if (query.environment !== undefined) {
    filters.push("environment = ?");
    params.push(query.environment);
  }
  if (query.search !== undefined) {
    // instr, not LIKE: D1 refuses LIKE patterns over 50 bytes, and instr needs no escaping.
    filters.push("instr(lower(external_id), lower(?)) > 0");
    params.push(query.search);
  }
  const where = filters.join(" AND ");
  const [rows, total] = await Promise.all([
    all<IdentityRow>(
      db,
      `SELECT * FROM identities WHERE ${where} ${query.cursor ? "AND id > ?" : ""} ORDER BY id LIMIT ?`,
      ...params,
      ...(query.cursor ? [query.cursor] : []),
      query.limit + 1,
    ),
    first<{ total: number }>(db, `SELECT COUNT(*) AS total FROM identities WHERE ${where}`, ...params),
  ]);
  return { rows, total: total?.total ?? 0 };
}

/** The named limits of several identities, by identity id. */
export async function identityLimits(db: D1Database, identityIds: string[]): Promise<Map<string, NamedLimitRow[]>> {
  const limits = new Map<string, NamedLimitRow[]>(identityIds.map((id) => [id, []]));
  if (identityIds.length === 0) return limits;
  const rows = await all<Parameters<typeof namedLimitOf>[0] & { identity_id: string }>(
    db,
    `SELECT identity_id, ${NAMED_LIMIT_COLUMNS} FROM ratelimits
      WHERE identity_id IN (${identityIds.map(() => "?").join(", ")}) ORDER BY name`,
    ...identityIds,
  );
  for (const row of rows) limits.get(row.identity_id)!.push(namedLimitOf(row));
  return limits;
}

export function insertIdentity(db: D1Database, row: Pick<IdentityRow, "id" | "workspace_id" | "external_id" | "meta" | "tier" | "created_at">) {
  return db
    .prepare("INSERT INTO identities (id, workspace_id, external_id, meta, tier, created_at) VALUES (?, ?, ?, ?, ?, ?)")
    .bind(row.id, row.workspace_id, row.external_id, row.meta, row.tier, row.created_at);
}

export type IdentityColumns = Partial<Pick<IdentityRow, "meta" | "tier">>;

/** Updates only the given columns. */
export function updateIdentityColumns(db: D1Database, identityId: string, columns: IdentityColumns, now: number): D1PreparedStatement {
  const set = { ...columns, updated_at: now };
  const assignments = Object.keys(set).map((column) => `${column} = ?`);
  return db.prepare(`UPDATE identities SET ${assignments.join(", ")} WHERE id = ?`).bind(...Object.values(set), identityId);
}

/** Replaces an identity's named limits, which all its keys share. */
export function replaceIdentityLimits(db: D1Database, workspaceId: string, identityId: string, limits: NewNamedLimit[]): D1PreparedStatement[] {
  return replaceNamedLimits(db, workspaceId, { column: "identity_id", id: identityId }, limits);
}

/** Marks the identity deleted and drops its limits; its keys stay, without identity. */
export function softDeleteIdentity(db: D1Database, identityId: string, now: number): D1PreparedStatement[] {
  return [
    db.prepare("UPDATE identities SET deleted_at = ?, updated_at = ? WHERE id = ?").bind(now, now, identityId),
    db.prepare("DELETE FROM ratelimits WHERE identity_id = ?").bind(identityId),
  ];
}

/** Live keys linked to the identity: the ones whose verify answers change with it. */
/** The identity's live keys, as `key_id` rows (see writeFencedBatch). */
export function liveKeysOfIdentityStatement(db: D1Database, identityId: string): D1PreparedStatement {
  return db.prepare("SELECT id AS key_id FROM keys WHERE identity_id = ? AND deleted_at IS NULL").bind(identityId);
}
