import type { Env } from "../env";
import { all, first, parseJson } from "./db";

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
}

/** A live key of this workspace, by id or by hash; another workspace's key is indistinguishable from none. */
export function findKey(env: Env, workspaceId: string, by: { id: string } | { hash: string }): Promise<KeyRow | null> {
  const [column, value] = "id" in by ? ["id", by.id] : ["hash", by.hash];
  return first<KeyRow>(
    env,
    `SELECT k.* FROM keys k JOIN apis a ON a.id = k.api_id AND a.deleted_at IS NULL
      WHERE k.${column} = ? AND k.workspace_id = ? AND k.deleted_at IS NULL`,
    value,
    workspaceId,
  );
}

/** Inserts a full key row. */
export function insertKey(env: Env, row: Omit<KeyRow, "updated_at" | "deleted_at">): D1PreparedStatement {
  const columns = Object.keys(row);
  return env.DB.prepare(`INSERT INTO keys (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`).bind(
    ...Object.values(row),
  );
}

export type KeyColumns = Partial<Omit<KeyRow, "id" | "workspace_id" | "api_id" | "hash" | "created_at">>;

/** Updates only the given columns, so two concurrent updates of different fields both land. */
export function updateKeyColumns(env: Env, keyId: string, columns: KeyColumns, now: number): D1PreparedStatement {
  const set = { ...columns, updated_at: now };
  const assignments = Object.keys(set).map((column) => `${column} = ?`);
  return env.DB.prepare(`UPDATE keys SET ${assignments.join(", ")} WHERE id = ?`).bind(...Object.values(set), keyId);
}

/** Management setting credits: a new version that replaces the Durable Object's running count. */
export function setCreditsStatement(env: Env, keyId: string, remaining: number | null, now: number): D1PreparedStatement {
  return env.DB.prepare(
    "UPDATE keys SET remaining = ?, credits_version = credits_version + 1, credits_set_at = ?, updated_at = ? WHERE id = ?",
  ).bind(remaining, now, now, keyId);
}

export interface KeyLinks {
  permissions: string[];
  roles: string[];
  limits: { name: string; limit: number; duration: number }[];
  identity: { id: string; externalId: string; meta: Record<string, unknown> } | null;
}

/** Direct permissions, roles, named limits and identity of several keys, in four queries. */
export async function keyLinks(env: Env, keys: Pick<KeyRow, "id" | "identity_id">[]): Promise<Map<string, KeyLinks>> {
  const links = new Map<string, KeyLinks>(keys.map((k) => [k.id, { permissions: [], roles: [], limits: [], identity: null }]));
  if (keys.length === 0) return links;
  const ids = keys.map((k) => k.id);
  const marks = ids.map(() => "?").join(", ");
  const identityIds = [...new Set(keys.map((k) => k.identity_id).filter((id): id is string => id !== null))];
  const [permissions, roles, limits, identities] = await Promise.all([
    all<{ key_id: string; name: string }>(
      env,
      `SELECT kp.key_id, p.name FROM keys_permissions kp JOIN permissions p ON p.id = kp.permission_id WHERE kp.key_id IN (${marks}) ORDER BY p.name`,
      ...ids,
    ),
    all<{ key_id: string; name: string }>(
      env,
      `SELECT kr.key_id, r.name FROM keys_roles kr JOIN roles r ON r.id = kr.role_id WHERE kr.key_id IN (${marks}) ORDER BY r.name`,
      ...ids,
    ),
    all<{ key_id: string; name: string; limit: number; duration: number }>(
      env,
      `SELECT key_id, name, "limit" AS "limit", duration FROM ratelimits WHERE key_id IN (${marks}) ORDER BY name`,
      ...ids,
    ),
    identityIds.length === 0
      ? Promise.resolve([])
      : all<{ id: string; external_id: string; meta: string }>(
          env,
          `SELECT id, external_id, meta FROM identities WHERE id IN (${identityIds.map(() => "?").join(", ")}) AND deleted_at IS NULL`,
          ...identityIds,
        ),
  ]);
  for (const row of permissions) links.get(row.key_id)!.permissions.push(row.name);
  for (const row of roles) links.get(row.key_id)!.roles.push(row.name);
  for (const row of limits) links.get(row.key_id)!.limits.push({ name: row.name, limit: row.limit, duration: row.duration });
  const identityById = new Map(identities.map((i) => [i.id, { id: i.id, externalId: i.external_id, meta: parseJson(i.meta, {}) }]));
  for (const key of keys) {
    if (key.identity_id) links.get(key.id)!.identity = identityById.get(key.identity_id) ?? null;
  }
  return links;
}

/** Replaces a key's named limits (the "default" one lives in the key row itself). */
export function replaceKeyLimits(
  env: Env,
  workspaceId: string,
  keyId: string,
  limits: { name: string; limit: number; duration: number }[],
  newId: () => string,
): D1PreparedStatement[] {
  return [
    env.DB.prepare("DELETE FROM ratelimits WHERE key_id = ?").bind(keyId),
    ...limits.map((l) =>
      env.DB.prepare('INSERT INTO ratelimits (id, workspace_id, key_id, name, "limit", duration) VALUES (?, ?, ?, ?, ?, ?)').bind(
        newId(),
        workspaceId,
        keyId,
        l.name,
        l.limit,
        l.duration,
      ),
    ),
  ];
}
