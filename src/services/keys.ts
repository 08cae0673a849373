import { apiPermission, authorize, type Caller } from "../auth/caller";
import { askKeyState, writeFenced } from "../counters/client";
import { issueKey, hashKey, DEFAULT_BYTE_LENGTH } from "../crypto/keys";
import { KeygateError, badRequest, notFound } from "../errors";
import type { Env } from "../env";
import { newId } from "../ids";
import { auditStatement, type AuditEntry } from "../store/audit";
import { all, batch, first, parseJson } from "../store/db";
import { linkKeyToExternalId } from "../store/identities";
import { forgetKeyHash } from "../store/keyLookup";
import {
  findKey,
  insertKey,
  keyLinks,
  replaceKeyLimits,
  setCreditsStatement,
  updateKeyColumns,
  type KeyColumns,
  type KeyLinks,
  type KeyRow,
} from "../store/keys";
import { linkToKey, unlinkAllFromKey, type RbacRow } from "../store/rbac";
import type { RefillConfig } from "../store/policy";
import { assertValidAllowlist, requireApi } from "./apis";
import type { ApiRow } from "../store/apis";
import { authorizeLinksOfNewKeys, authorizeReplacingOnKey, resolveRbac, type RbacRef } from "./rbac";

export interface LegacyRatelimit {
  limit: number;
  duration?: number;
  refillInterval?: number;
  refillRate?: number;
  async?: boolean;
  type?: "fast" | "consistent";
}

export interface NamedLimit {
  name: string;
  limit: number;
  duration: number;
}

export interface CreateKeyInput {
  apiId: string;
  prefix?: string;
  name?: string;
  byteLength?: number;
  ownerId?: string;
  externalId?: string;
  meta?: Record<string, unknown>;
  roles?: string[];
  permissions?: string[];
  expires?: number;
  remaining?: number;
  refill?: { interval: "daily" | "monthly"; amount: number; refillDay?: number };
  ratelimit?: LegacyRatelimit;
  ratelimits?: NamedLimit[];
  enabled?: boolean;
  recoverable?: boolean;
  environment?: string;
  ipAllowlist?: string[];
  tier?: string;
}

export async function createKey(env: Env, caller: Caller, input: CreateKeyInput): Promise<{ keyId: string; key: string }> {
  authorize(caller, ...apiPermission(input.apiId, "create_key"));
  authorizeLinksOfNewKeys(caller, [input]);
  if (input.recoverable) throw badRequest("recoverable: Keygate stores only key hashes, so keys cannot be recovered");
  const api = await requireApi(env, caller, input.apiId);
  const now = Date.now();
  assertValidKeySettings(input, now);
  const [permissions, roles] = await Promise.all([
    resolveRbac(env, caller, "permissions", input.permissions ?? []),
    resolveRbac(env, caller, "roles", input.roles ?? []),
  ]);
  // A Map, so an environment named like an Object.prototype member (`constructor`) finds nothing.
  const environmentPrefixes = new Map(Object.entries(parseJson<Record<string, string>>(api.key_prefixes, {})));
  const prefix = input.prefix ?? (input.environment ? environmentPrefixes.get(input.environment) : undefined);
  const issued = issueKey(prefix, input.byteLength ?? DEFAULT_BYTE_LENGTH);
  const key = newKeyStatements(env, caller, api, input, issued, { permissions: permissions.rows, roles: roles.rows }, now, "Created");
  await batch(env, () => [...permissions.creates, ...roles.creates, ...key.statements()]);
  return { keyId: key.keyId, key: issued.plaintext };
}

/** What a key's hash stands for, without its plaintext. */
export interface KeySecret {
  hash: string;
  start: string;
  last4: string;
}

/** Checks a new key's settings that the schema alone cannot. */
export function assertValidKeySettings(input: CreateKeyInput, now: number): void {
  assertCredits(input.remaining, input.refill);
  assertFuture(input.expires, now);
  assertValidAllowlist(input.ipAllowlist ?? []);
  legacyLimit(input.ratelimit);
}

/**
 * The statements that write one new key with its links, limits and audit row, for a batch.
 * `rbac` holds the resolved rows of the names in `input.permissions` and `input.roles`.
 */
export function newKeyStatements(
  env: Env,
  caller: Caller,
  api: ApiRow,
  input: CreateKeyInput,
  secret: KeySecret,
  rbac: { permissions: RbacRow[]; roles: RbacRow[] },
  now: number,
  verb: "Created" | "Imported",
): { keyId: string; statements: () => D1PreparedStatement[] } {
  const keyId = newId("key");
  const externalId = input.externalId ?? input.ownerId;
  const ratelimit = legacyLimit(input.ratelimit);
  const named = (rows: RbacRow[], names: string[] | undefined) => rows.filter((row) => names?.includes(row.name)).map((row) => row.id);
  const statements = () => [
    insertKey(env, {
      id: keyId,
      workspace_id: caller.workspaceId,
      api_id: api.id,
      hash: secret.hash,
      start: secret.start,
      last4: secret.last4,
      name: input.name ?? null,
      owner_id: input.ownerId ?? null,
      identity_id: null,
      meta: input.meta ? JSON.stringify(input.meta) : null,
      environment: input.environment ?? null,
      enabled: input.enabled === false ? 0 : 1,
      expires: input.expires ?? null,
      remaining: input.remaining ?? null,
      credits_version: 0,
      credits_set_at: now,
      credits_from: null,
      refill_interval: input.refill?.interval ?? null,
      refill_amount: input.refill?.amount ?? null,
      refill_day: input.refill ? (input.refill.refillDay ?? (input.refill.interval === "monthly" ? 1 : null)) : null,
      ratelimit_limit: ratelimit?.limit ?? null,
      ratelimit_duration: ratelimit?.duration ?? null,
      ip_allowlist: JSON.stringify(input.ipAllowlist ?? []),
      tier: input.tier ?? null,
      revoked_at: null,
      revoke_reason: null,
      created_at: now,
    }),
    ...(externalId ? linkKeyToExternalId(env, caller.workspaceId, keyId, externalId, now) : []),
    ...linkToKey(env, "permissions", keyId, named(rbac.permissions, input.permissions)),
    ...linkToKey(env, "roles", keyId, named(rbac.roles, input.roles)),
    ...(input.ratelimits?.length ? replaceKeyLimits(env, caller.workspaceId, keyId, input.ratelimits, () => newId("rl")) : []),
    auditStatement(env, caller, {
      event: "key.create",
      resources: [{ type: "api", id: api.id }, { type: "key", id: keyId }],
      description: `${verb} key ${keyId} (${secret.start}…) in api ${api.id}.`,
    }),
  ];
  return { keyId, statements };
}

export async function getKey(env: Env, caller: Caller, keyId: string) {
  const key = await requireKey(env, caller, keyId);
  authorize(caller, ...apiPermission(key.api_id, "read_key"));
  const links = await keyLinks(env, [key]);
  return renderKey(key, links.get(key.id)!, await liveRemaining(env, key));
}

export interface ListKeysInput {
  apiId: string;
  limit: number;
  cursor?: string;
  ownerId?: string;
  externalId?: string;
}

export async function listKeys(env: Env, caller: Caller, input: ListKeysInput) {
  authorize(caller, ...apiPermission(input.apiId, "read_key"));
  await requireApi(env, caller, input.apiId);
  const filters = ["k.api_id = ?", "k.deleted_at IS NULL"];
  const params: unknown[] = [input.apiId];
  if (input.ownerId !== undefined) {
    filters.push("k.owner_id = ?");
    params.push(input.ownerId);
  }
  if (input.externalId !== undefined) {
    filters.push("k.identity_id IN (SELECT id FROM identities WHERE workspace_id = ? AND external_id = ?)");
    params.push(caller.workspaceId, input.externalId);
  }
  const where = filters.join(" AND ");
  const [page, total] = await Promise.all([
    all<KeyRow>(
      env,
      `SELECT k.* FROM keys k WHERE ${where} ${input.cursor ? "AND k.id > ?" : ""} ORDER BY k.id LIMIT ?`,
      ...params,
      ...(input.cursor ? [input.cursor] : []),
      input.limit + 1,
    ),
    first<{ total: number }>(env, `SELECT COUNT(*) AS total FROM keys k WHERE ${where}`, ...params),
  ]);
  const keys = page.slice(0, input.limit);
  const [links, remaining] = await Promise.all([keyLinks(env, keys), Promise.all(keys.map((key) => liveRemaining(env, key)))]);
  return {
    keys: keys.map((key, i) => renderKey(key, links.get(key.id)!, remaining[i]!)),
    cursor: page.length > input.limit ? keys[keys.length - 1]!.id : undefined,
    total: total?.total ?? 0,
  };
}

export interface UpdateKeyInput {
  keyId: string;
  name?: string | null;
  ownerId?: string | null;
  externalId?: string | null;
  meta?: Record<string, unknown> | null;
  expires?: number | null;
  ratelimit?: LegacyRatelimit | null;
  ratelimits?: NamedLimit[];
  remaining?: number | null;
  refill?: { interval: "daily" | "monthly"; amount: number; refillDay?: number } | null;
  enabled?: boolean;
  roles?: RbacRef[];
  permissions?: RbacRef[];
  ipAllowlist?: string[];
  tier?: string | null;
}

/** Applies only the fields given; the key's very next verify sees the change. */
export async function updateKey(env: Env, caller: Caller, input: UpdateKeyInput): Promise<void> {
  const key = await requireKey(env, caller, input.keyId);
  authorize(caller, ...apiPermission(key.api_id, "update_key"));
  // Given here, permissions and roles replace the key's, as keys.setPermissions and keys.setRoles do.
  if (input.permissions) authorizeReplacingOnKey(caller, "permissions");
  if (input.roles) authorizeReplacingOnKey(caller, "roles");
  const now = Date.now();
  if (input.enabled === true && key.revoked_at !== null) {
    throw new KeygateError("PRECONDITION_FAILED", `key ${key.id} was revoked; a revoked key cannot be enabled again. Issue a new key.`);
  }
  assertFuture(input.expires ?? undefined, now);
  if (input.ipAllowlist) assertValidAllowlist(input.ipAllowlist);
  const remainingAfter = input.remaining !== undefined ? input.remaining : key.remaining;
  const refillAfter = input.refill !== undefined ? input.refill : key.refill_interval;
  if (refillAfter && (remainingAfter === null || remainingAfter === undefined)) {
    throw badRequest("refill: a key needs remaining credits to be refilled; set remaining too");
  }
  if (input.refill) assertCredits(remainingAfter ?? undefined, input.refill);

  const columns: KeyColumns = {};
  if (input.name !== undefined) columns.name = input.name;
  if (input.ownerId !== undefined) columns.owner_id = input.ownerId;
  if (input.meta !== undefined) columns.meta = input.meta === null ? null : JSON.stringify(input.meta);
  if (input.expires !== undefined) columns.expires = input.expires;
  if (input.enabled !== undefined) columns.enabled = input.enabled ? 1 : 0;
  if (input.tier !== undefined) columns.tier = input.tier;
  if (input.ipAllowlist !== undefined) columns.ip_allowlist = JSON.stringify(input.ipAllowlist);
  if (input.ratelimit !== undefined) {
    const limit = legacyLimit(input.ratelimit ?? undefined);
    columns.ratelimit_limit = limit?.limit ?? null;
    columns.ratelimit_duration = limit?.duration ?? null;
  }
  if (input.refill !== undefined) {
    columns.refill_interval = input.refill?.interval ?? null;
    columns.refill_amount = input.refill?.amount ?? null;
    columns.refill_day = input.refill ? (input.refill.refillDay ?? (input.refill.interval === "monthly" ? 1 : null)) : null;
  }

  const [permissions, roles] = await Promise.all([
    input.permissions ? resolveRbac(env, caller, "permissions", input.permissions) : undefined,
    input.roles ? resolveRbac(env, caller, "roles", input.roles) : undefined,
  ]);
  const statements = (): D1PreparedStatement[] => [
    updateKeyColumns(env, key.id, columns, now),
    ...(input.remaining !== undefined ? [setCreditsStatement(env, key.id, input.remaining, now)] : []),
    ...(input.externalId !== undefined ? linkKeyToExternalId(env, caller.workspaceId, key.id, input.externalId, now) : []),
    ...(input.ratelimits ? replaceKeyLimits(env, caller.workspaceId, key.id, input.ratelimits, () => newId("rl")) : []),
    ...(permissions
      ? [...permissions.creates, unlinkAllFromKey(env, "permissions", key.id), ...linkToKey(env, "permissions", key.id, permissions.rows.map((p) => p.id))]
      : []),
    ...(roles ? [...roles.creates, unlinkAllFromKey(env, "roles", key.id), ...linkToKey(env, "roles", key.id, roles.rows.map((r) => r.id))] : []),
    ...updateAuditEntries(key, input).map((entry) => auditStatement(env, caller, entry)),
  ];
  await writeFenced(env, [key.id], () => env.DB.batch(statements()));
}

function updateAuditEntries(key: KeyRow, input: UpdateKeyInput): AuditEntry[] {
  const resources = [{ type: "key", id: key.id }];
  const entries: AuditEntry[] = [];
  const { keyId: _keyId, enabled, ipAllowlist, ...rest } = input;
  if (enabled !== undefined) {
    entries.push({ event: enabled ? "key.enable" : "key.disable", resources, description: `${enabled ? "Enabled" : "Disabled"} key ${key.id}.` });
  }
  if (ipAllowlist !== undefined) {
    entries.push({ event: "key.ip_allowlist.update", resources, description: `Set the IP allowlist of key ${key.id} to [${ipAllowlist.join(", ")}].` });
  }
  const fields = Object.entries(rest).filter(([, value]) => value !== undefined).map(([field]) => field);
  if (fields.length > 0 || entries.length === 0) {
    entries.push({ event: "key.update", resources, description: `Updated ${fields.join(", ") || "nothing"} of key ${key.id}.` });
  }
  return entries;
}

export async function deleteKey(env: Env, caller: Caller, keyId: string, permanent = false): Promise<void> {
  const key = await requireKey(env, caller, keyId);
  authorize(caller, ...apiPermission(key.api_id, "delete_key"));
  const now = Date.now();
  const removal = () =>
    permanent
    ? [
        unlinkAllFromKey(env, "permissions", key.id),
        unlinkAllFromKey(env, "roles", key.id),
        env.DB.prepare("DELETE FROM ratelimits WHERE key_id = ?").bind(key.id),
        env.DB.prepare("DELETE FROM keys WHERE id = ?").bind(key.id),
      ]
    : [updateKeyColumns(env, key.id, { deleted_at: now }, now)];
  const audit = () =>
    auditStatement(env, caller, {
      event: "key.delete",
      resources: [{ type: "key", id: key.id }],
      description: `${permanent ? "Permanently deleted" : "Deleted"} key ${key.id} (${key.start}…).`,
    });
  await writeFenced(env, [key.id], () => env.DB.batch([...removal(), audit()]));
  await forgetKeyHash(env, key.hash);
}

export async function whoami(env: Env, caller: Caller, plaintext: string) {
  const key = await findKey(env, caller.workspaceId, { hash: hashKey(plaintext) });
  if (!key) throw notFound("no key of this workspace matches");
  authorize(caller, ...apiPermission(key.api_id, "read_key"));
  const links = (await keyLinks(env, [key])).get(key.id)!;
  return {
    id: key.id,
    name: key.name ?? undefined,
    remaining: (await liveRemaining(env, key)) ?? undefined,
    identity: links.identity ? { id: links.identity.id, externalId: links.identity.externalId } : undefined,
    meta: parseJson<Record<string, unknown> | undefined>(key.meta, undefined),
    createdAt: key.created_at,
    enabled: key.enabled === 1 && key.revoked_at === null,
    environment: key.environment ?? undefined,
  };
}

export async function updateRemaining(env: Env, caller: Caller, input: { keyId: string; op: "increment" | "decrement" | "set"; value: number | null }) {
  const key = await requireKey(env, caller, input.keyId);
  authorize(caller, ...apiPermission(key.api_id, "update_key"));
  if (input.op === "set") {
    const now = Date.now();
    if (input.value === null && key.refill_interval) throw badRequest("value: a key with a refill needs a number of credits");
    await writeFenced(env, [key.id], () =>
      env.DB.batch([
        setCreditsStatement(env, key.id, input.value, now),
        auditStatement(env, caller, {
          event: "key.remaining.update",
          resources: [{ type: "key", id: key.id }],
          description: `Set the credits of key ${key.id} to ${input.value ?? "unlimited"}.`,
        }),
      ]),
    );
    return { remaining: input.value };
  }
  if (input.value === null) throw badRequest(`value: ${input.op} needs a number`);
  const value = input.value;
  const op = input.op;
  const remaining = await askKeyState<number>(env, key.id, (state) => state.adjustRemaining(key.id, op, value));
  return { remaining };
}

// ---- helpers ----

export async function requireKey(env: Env, caller: Caller, keyId: string): Promise<KeyRow> {
  const key = await findKey(env, caller.workspaceId, { id: keyId });
  if (!key) throw notFound(`key ${keyId} not found`);
  return key;
}

/** The Durable Object's running count (refills applied), not D1's last-set value. */
async function liveRemaining(env: Env, key: KeyRow): Promise<number | null> {
  if (key.remaining === null) return null;
  return askKeyState<number | null>(env, key.id, (state) => state.remaining(key.id));
}

function legacyLimit(ratelimit: LegacyRatelimit | undefined): { limit: number; duration: number } | undefined {
  if (!ratelimit) return undefined;
  const duration = ratelimit.duration ?? ratelimit.refillInterval;
  if (duration === undefined) throw badRequest("ratelimit.duration: required (milliseconds, at least 1000)");
  return { limit: ratelimit.limit, duration };
}

function assertCredits(remaining: number | undefined, refill: { interval: string; refillDay?: number } | undefined) {
  if (!refill) return;
  if (remaining === undefined) throw badRequest("refill: a key needs remaining credits to be refilled; set remaining too");
  if (refill.interval === "daily" && refill.refillDay !== undefined) {
    throw badRequest("refill.refillDay: only a monthly refill takes a day");
  }
}

function assertFuture(expires: number | undefined, now: number) {
  if (expires !== undefined && expires <= now) {
    throw badRequest("expires: must be in the future (unix milliseconds)");
  }
}

function renderKey(key: KeyRow, links: KeyLinks, remaining: number | null) {
  const refill: RefillConfig | null =
    key.refill_interval && key.refill_amount !== null
      ? { interval: key.refill_interval, amount: key.refill_amount, refillDay: key.refill_day }
      : null;
  return {
    id: key.id,
    start: key.start,
    workspaceId: key.workspace_id,
    apiId: key.api_id,
    name: key.name ?? undefined,
    ownerId: key.owner_id ?? links.identity?.externalId ?? undefined,
    meta: parseJson<Record<string, unknown> | undefined>(key.meta, undefined),
    createdAt: key.created_at,
    updatedAt: key.updated_at ?? undefined,
    expires: key.expires ?? undefined,
    remaining: remaining ?? undefined,
    refill: refill ?? undefined,
    ratelimit:
      key.ratelimit_limit !== null && key.ratelimit_duration !== null
        ? { async: false, type: "consistent" as const, limit: key.ratelimit_limit, duration: key.ratelimit_duration }
        : undefined,
    ratelimits: links.limits,
    roles: links.roles,
    permissions: links.permissions,
    enabled: key.enabled === 1 && key.revoked_at === null,
    environment: key.environment ?? undefined,
    ipAllowlist: parseJson<string[]>(key.ip_allowlist, []),
    tier: key.tier ?? undefined,
    revokedAt: key.revoked_at ?? undefined,
    revokeReason: key.revoke_reason ?? undefined,
    identity: links.identity ?? undefined,
  };
}
