import { all, first, parseJson } from "./db";
import { NAMED_LIMIT_COLUMNS, type NamedLimitRow, type NewNamedLimit, namedLimitOf, replaceNamedLimits } from "./identities";
import type { LimitConfig, RefillConfig } from "./policy";
import { unlinkAllFromKey } from "./rbac";

export interface KeyRow {
  id: string;
  workspace_id: string;
  api_id: string;
  hash: string;
  start: string;
  last4: string;
  name: string | null;
  owner_id: string | null;
  identity_id: string | null;
  meta: string | null;
  environment: string | null;
  enabled: number;
  expires: number | null;
  remaining: number | null;
  credits_version: number;
  credits_set_at: number | null;
  credits_from: string | null;
  refill_interval: "daily" | "monthly" | null;
  refill_amount: number | null;
  refill_day: number | null;
  ratelimit_limit: number | null;
  ratelimit_duration: number | null;
  ip_allowlist: string;
  tier: string | null;
  revoked_at: number | null;
  revoke_reason: string | null;
  created_at: number;
  updated_at: number | null;
  deleted_at: number | null;
  /** When a verify of the key last counted, as of the last flush of its counts. */
  last_used_at: number | null;
}

/** A key verifies only while enabled and not revoked (revoking also disables it). */
export function isKeyEnabled(key: Pick<KeyRow, "enabled" | "revoked_at">): boolean {
  return key.enabled === 1 && key.revoked_at === null;
}

/** The key's own `ratelimit`, when it has one. */
export function ratelimitOf(key: Pick<KeyRow, "ratelimit_limit" | "ratelimit_duration">): LimitConfig | null {
  return key.ratelimit_limit !== null && key.ratelimit_duration !== null ? { limit: key.ratelimit_limit, duration: key.ratelimit_duration } : null;
}

/** The key's refill, when it has one. */
export function refillOf(key: Pick<KeyRow, "refill_interval" | "refill_amount" | "refill_day">): RefillConfig | null {
  return key.refill_interval && key.refill_amount !== null ? { interval: key.refill_interval, amount: key.refill_amount, refillDay: key.refill_day } : null;
}

/** A live key of this workspace, by id or by hash; another workspace's key is indistinguishable from none. */
export function findKey(db: D1Database, workspaceId: string, by: { id: string } | { hash: string }): Promise<KeyRow | null> {
  const [column, value] = "id" in by ? ["id", by.id] : ["hash", by.hash];
  return first<KeyRow>(
    db,
    `SELECT k.* FROM keys k JOIN apis a ON a.id = k.api_id AND a.deleted_at IS NULL
      WHERE k.${column} = ? AND k.workspace_id = ? AND k.deleted_at IS NULL`,
    value,
    workspaceId,
  );
}

export interface KeyPageQuery {
  apiId: string;
  limit: number;
  cursor?: string;
  ownerId?: string;
  /** Keys linked to the identity with this externalId. */
  externalId?: string;
}

/** One page of an api's live keys in id order (one row more than the page, when there is more), and how many there are in all. */
export async function listKeyRows(db: D1Database, workspaceId: string, query: KeyPageQuery) {
  const filters = ["k.api_id = ?", "k.deleted_at IS NULL"];
  const params: unknown[] = [query.apiId];
  if (query.ownerId !== undefined) {
    filters.push("k.owner_id = ?");
    params.push(query.ownerId);
  }
  if (query.externalId !== undefined) {
    filters.push("k.identity_id IN (SELECT id FROM identities WHERE workspace_id = ? AND external_id = ?)");
    params.push(workspaceId, query.externalId);
  }
  const where = filters.join(" AND ");
  const [rows, total] = await Promise.all([
    all<KeyRow>(
      db,
      `SELECT k.* FROM keys k WHERE ${where} ${query.cursor ? "AND k.id > ?" : ""} ORDER BY k.id LIMIT ?`,
      ...params,
      ...(query.cursor ? [query.cursor] : []),
      query.limit + 1,
    ),
    first<{ total: number }>(db, `SELECT COUNT(*) AS total FROM keys k WHERE ${where}`, ...params),
  ]);
  return { rows, total: total?.total ?? 0 };
}

/** Inserts a full key row. */
export function insertKey(db: D1Database, row: Omit<KeyRow, "updated_at" | "deleted_at" | "last_used_at">): D1PreparedStatement {
  const columns = Object.keys(row);
  return db.prepare(`INSERT INTO keys (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`).bind(...Object.values(row));
}

export type KeyColumns = Partial<Omit<KeyRow, "id" | "workspace_id" | "api_id" | "hash" | "created_at">>;

/** Updates only the given columns, so two concurrent updates of different fields both land. */
export function updateKeyColumns(db: D1Database, keyId: string, columns: KeyColumns, now: number): D1PreparedStatement {
  const set = { ...columns, updated_at: now };
  const assignments = Object.keys(set).map((column) => `${column} = ?`);
  return db.prepare(`UPDATE keys SET ${assignments.join(", ")} WHERE id = ?`).bind(...Object.values(set), keyId);
}

/** Deletes the key row with its links and named limits, for keys.deleteKey with `permanent`. */
export function purgeKey(db: D1Database, keyId: string): D1PreparedStatement[] {
  return [
    unlinkAllFromKey(db, "permissions", keyId),
    unlinkAllFromKey(db, "roles", keyId),
    db.prepare("DELETE FROM ratelimits WHERE key_id = ?").bind(keyId),
    db.prepare("DELETE FROM keys WHERE id = ?").bind(keyId),
  ];
}

/** Gives a new key the permissions, roles and named limits the old one holds (a reroll). */
export function copyKeyGrants(db: D1Database, fromKeyId: string, toKeyId: string): D1PreparedStatement[] {
  const copyLinks = (table: string, column: string) =>
    db.prepare(`INSERT INTO ${table} (key_id, ${column}) SELECT ?, ${column} FROM ${table} WHERE key_id = ?`).bind(toKeyId, fromKeyId);
  return [
    copyLinks("keys_permissions", "permission_id"),
    copyLinks("keys_roles", "role_id"),
    db
      .prepare(
        `INSERT INTO ratelimits (id, workspace_id, key_id, name, "limit", duration, auto_apply)
       SELECT 'rl_' || lower(hex(randomblob(12))), workspace_id, ?, name, "limit", duration, auto_apply FROM ratelimits WHERE key_id = ?`,
      )
      .bind(toKeyId, fromKeyId),
  ];
}

/** A new credits version, so the key's Durable Object drops its running count and reloads it. */
export function bumpCreditsVersion(db: D1Database, keyId: string): D1PreparedStatement {
  return db.prepare("UPDATE keys SET credits_version = credits_version + 1 WHERE id = ?").bind(keyId);
}

/** Management setting credits: a new version that replaces the Durable Object's running count. */
export function setCreditsStatement(db: D1Database, keyId: string, remaining: number | null, now: number): D1PreparedStatement {
  return db
    .prepare("UPDATE keys SET remaining = ?, credits_version = credits_version + 1, credits_set_at = ?, updated_at = ? WHERE id = ?")
    .bind(remaining, now, now, keyId);
}

export interface KeyLinks {
  permissions: string[];
  roles: string[];
  limits: NamedLimitRow[];
  identity: { id: string; externalId: string; meta: Record<string, unknown> } | null;
}

/** Direct permissions, roles, named limits and identity of several keys, in four queries. */
export async function keyLinks(db: D1Database, keys: Pick<KeyRow, "id" | "identity_id">[]): Promise<Map<string, KeyLinks>> {
  const links = new Map<string, KeyLinks>(keys.map((k) => [k.id, { permissions: [], roles: [], limits: [], identity: null }]));
  if (keys.length === 0) return links;
  const ids = keys.map((k) => k.id);
  const marks = ids.map(() => "?").join(", ");
  const identityIds = [...new Set(keys.map((k) => k.identity_id).filter((id): id is string => id !== null))];
  const [permissions, roles, limits, identities] = await Promise.all([
    all<{ key_id: string; name: string }>(
      db,
      `SELECT kp.key_id, p.name FROM keys_permissions kp JOIN permissions p ON p.id = kp.permission_id WHERE kp.key_id IN (${marks}) ORDER BY p.name`,
      ...ids,
    ),
    all<{ key_id: string; name: string }>(
      db,
      `SELECT kr.key_id, r.name FROM keys_roles kr JOIN roles r ON r.id = kr.role_id WHERE kr.key_id IN (${marks}) ORDER BY r.name`,
      ...ids,
    ),
    all<Parameters<typeof namedLimitOf>[0] & { key_id: string }>(
      db,
      `SELECT key_id, ${NAMED_LIMIT_COLUMNS} FROM ratelimits WHERE key_id IN (${marks}) ORDER BY name`,
      ...ids,
    ),
    identityIds.length === 0
      ? Promise.resolve([])
      : all<{ id: string; external_id: string; meta: string }>(
          db,
          `SELECT id, external_id, meta FROM identities WHERE id IN (${identityIds.map(() => "?").join(", ")}) AND deleted_at IS NULL`,
          ...identityIds,
        ),
  ]);
  for (const row of permissions) links.get(row.key_id)!.permissions.push(row.name);
  for (const row of roles) links.get(row.key_id)!.roles.push(row.name);
  for (const row of limits) links.get(row.key_id)!.limits.push(namedLimitOf(row));
  const identityById = new Map(identities.map((i) => [i.id, { id: i.id, externalId: i.external_id, meta: parseJson(i.meta, {}) }]));
  for (const key of keys) {
    if (key.identity_id) links.get(key.id)!.identity = identityById.get(key.identity_id) ?? null;
  }
  return links;
}

/** Replaces a key's named limits (the "default" one lives in the key row itself). */
export function replaceKeyLimits(db: D1Database, workspaceId: string, keyId: string, limits: NewNamedLimit[]): D1PreparedStatement[] {
  return replaceNamedLimits(db, workspaceId, { column: "key_id", id: keyId }, limits);
}
