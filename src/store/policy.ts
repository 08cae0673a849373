import { isKeyEnabled, type KeyRow, ratelimitOf, refillOf } from "./keys";

export interface LimitConfig {
  limit: number;
  duration: number;
}

/** A named limit of a key or an identity, as verify plans it. */
export interface NamedLimitConfig extends LimitConfig {
  id: string;
  /** Checked on every verify, not only when the verify names it. */
  autoApply: boolean;
}

export interface RefillConfig {
  interval: "daily" | "monthly";
  amount: number;
  refillDay: number | null;
}

/**
 * Everything verify needs to know about a key, as D1 has it. The key's Durable Object holds
 * this snapshot in memory and reloads it whenever management changes the key.
 */
export interface KeyPolicy {
  id: string;
  workspaceId: string;
  apiId: string;
  /** Soft-deleted key, or a key of a deleted api. */
  deleted: boolean;
  /** False once the key is disabled or revoked. */
  enabled: boolean;
  expires: number | null;
  name: string | null;
  /** The plaintext's last four characters, kept at creation for display. */
  last4: string;
  ownerId: string | null;
  meta: Record<string, unknown> | null;
  environment: string | null;
  tier: string | null;
  createdAt: number;
  permissions: string[];
  /** The same permissions' slugs (Unkey v2 names them by slug; a slug defaults to the name). */
  permissionSlugs: string[];
  roles: string[];
  identity: { id: string; externalId: string; meta: Record<string, unknown>; tier: string | null } | null;
  /** The key's own `ratelimit` field, applied on every verify under the name "default". */
  ratelimit: LimitConfig | null;
  /** Named limits by name: Maps, since the names are the caller's (`__proto__` is a fine name). */
  keyLimits: Map<string, NamedLimitConfig>;
  identityLimits: Map<string, NamedLimitConfig>;
  /** Credits as management last set them; null = unlimited. The live count is the Durable Object's. */
  credits: { remaining: number; version: number; setAt: number } | null;
  /** After a reroll, the old key spends the new key's credits: never two pools. */
  creditsFrom: string | null;
  refill: RefillConfig | null;
  /** The key's allowlist, then the api's: a request must pass both (empty = any address). */
  ipAllowlists: string[][];
  /** The api's own staleness bound for edge mode; null = the deployment's. */
  maxStalenessMs: number | null;
}

/** A key row joined with what verify needs of its api and identity. */
interface PolicyRow extends KeyRow {
  api_deleted_at: number | null;
  api_ip_allowlist: string;
  api_max_staleness_ms: number | null;
  identity_external_id: string | null;
  identity_meta: string | null;
  identity_tier: string | null;
}

/** Loads a key's policy from D1 in one round trip; null when the key never existed. */
export async function loadKeyPolicy(db: D1Database, keyId: string): Promise<KeyPolicy | null> {
  const [keyResult, permissionResult, roleResult, limitResult] = await db.batch([
    db
      .prepare(
        `SELECT k.*, a.deleted_at AS api_deleted_at, a.ip_allowlist AS api_ip_allowlist, a.verify_max_staleness_ms AS api_max_staleness_ms,
              i.external_id AS identity_external_id, i.meta AS identity_meta, i.tier AS identity_tier
         FROM keys k
         JOIN apis a ON a.id = k.api_id
         LEFT JOIN identities i ON i.id = k.identity_id AND i.deleted_at IS NULL
        WHERE k.id = ?1`,
      )
      .bind(keyId),
    db
      .prepare(
        `SELECT p.name, p.slug FROM keys_permissions kp JOIN permissions p ON p.id = kp.permission_id WHERE kp.key_id = ?1
       UNION
       SELECT p.name, p.slug FROM keys_roles kr
         JOIN roles_permissions rp ON rp.role_id = kr.role_id
         JOIN permissions p ON p.id = rp.permission_id
        WHERE kr.key_id = ?1
       ORDER BY 1`,
      )
      .bind(keyId),
    db.prepare("SELECT r.name FROM keys_roles kr JOIN roles r ON r.id = kr.role_id WHERE kr.key_id = ?1 ORDER BY r.name").bind(keyId),
    db
      .prepare(
        `SELECT rl.id, rl.name, rl."limit" AS "limit", rl.duration, rl.auto_apply, rl.key_id FROM ratelimits rl
        WHERE rl.key_id = ?1
           OR rl.identity_id = (SELECT k.identity_id FROM keys k
                                  JOIN identities i ON i.id = k.identity_id AND i.deleted_at IS NULL
                                 WHERE k.id = ?1)`,
      )
      .bind(keyId),
  ]);
  const row = keyResult!.results[0] as PolicyRow | undefined;
  if (!row) return null;

  const keyLimits = new Map<string, NamedLimitConfig>();
  const identityLimits = new Map<string, NamedLimitConfig>();
  type LimitRow = { id: string; name: string; limit: number; duration: number; auto_apply: number; key_id: string | null };
  for (const limit of limitResult!.results as LimitRow[]) {
    const config = { id: limit.id, limit: limit.limit, duration: limit.duration, autoApply: limit.auto_apply === 1 };
    (limit.key_id ? keyLimits : identityLimits).set(limit.name, config);
  }

  return {
    id: row.id,
    workspaceId: row.workspace_id,
    apiId: row.api_id,
    deleted: row.deleted_at !== null || row.api_deleted_at !== null,
    enabled: isKeyEnabled(row),
    expires: row.expires,
    name: row.name,
    last4: row.last4,
    ownerId: row.owner_id,
    meta: row.meta ? JSON.parse(row.meta) : null,
    environment: row.environment,
    tier: row.tier,
    createdAt: row.created_at,
    permissions: [...new Set((permissionResult!.results as { name: string }[]).map((p) => p.name))],
    permissionSlugs: [...new Set((permissionResult!.results as { slug: string }[]).map((p) => p.slug))],
    roles: (roleResult!.results as { name: string }[]).map((r) => r.name),
    identity:
      row.identity_id && row.identity_external_id !== null
        ? {
            id: row.identity_id,
            externalId: row.identity_external_id,
            meta: JSON.parse(row.identity_meta ?? "{}"),
            tier: row.identity_tier,
          }
        : null,
    ratelimit: ratelimitOf(row),
    keyLimits,
    identityLimits,
    credits: row.remaining === null ? null : { remaining: row.remaining, version: row.credits_version, setAt: row.credits_set_at ?? row.created_at },
    creditsFrom: row.credits_from,
    refill: refillOf(row),
    ipAllowlists: [JSON.parse(row.ip_allowlist), JSON.parse(row.api_ip_allowlist)].filter((list) => list.length > 0),
    maxStalenessMs: row.api_max_staleness_ms,
  };
}
