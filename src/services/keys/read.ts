import { apiPermission, authorize, type Caller } from "../../auth/caller";
import { askKeyState } from "../../counters/client";
import { hashKey } from "../../crypto/keys";
import type { Env } from "../../env";
import { notFound } from "../../errors";
import { parseJson } from "../../store/db";
import { findKey, isKeyEnabled, type KeyLinks, type KeyPageQuery, type KeyRow, keyLinks, listKeyRows, ratelimitOf, refillOf } from "../../store/keys";
import { requireApi } from "../apis";

export async function requireKey(env: Env, caller: Caller, keyId: string): Promise<KeyRow> {
  const key = await findKey(env.DB, caller.workspaceId, { id: keyId });
  if (!key) throw notFound(`key ${keyId} not found`);
  return key;
}

export async function getKey(env: Env, caller: Caller, keyId: string) {
  const key = await requireKey(env, caller, keyId);
  authorize(caller, ...apiPermission(key.api_id, "read_key"));
  const links = await keyLinks(env.DB, [key]);
  return renderKey(key, links.get(key.id)!, await liveRemaining(env, key));
}

export async function listKeys(env: Env, caller: Caller, input: KeyPageQuery) {
  authorize(caller, ...apiPermission(input.apiId, "read_key"));
  await requireApi(env, caller, input.apiId);
  const { rows, total } = await listKeyRows(env.DB, caller.workspaceId, input);
  const keys = rows.slice(0, input.limit);
  const [links, remaining] = await Promise.all([keyLinks(env.DB, keys), Promise.all(keys.map((key) => liveRemaining(env, key)))]);
  return {
    keys: keys.map((key, i) => renderKey(key, links.get(key.id)!, remaining[i]!)),
    cursor: rows.length > input.limit ? keys[keys.length - 1]!.id : undefined,
    total,
  };
}

/** The key behind a plaintext, without verifying (or charging) it. */
export async function whoami(env: Env, caller: Caller, plaintext: string) {
  const key = await findKey(env.DB, caller.workspaceId, { hash: hashKey(plaintext) });
  if (!key) throw notFound("no key of this workspace matches");
  authorize(caller, ...apiPermission(key.api_id, "read_key"));
  const links = (await keyLinks(env.DB, [key])).get(key.id)!;
  const { id, name, remaining, identity, meta, createdAt, enabled, environment } = renderKey(key, links, await liveRemaining(env, key));
  return { id, name, remaining, identity: identity && { id: identity.id, externalId: identity.externalId }, meta, createdAt, enabled, environment };
}

/** The Durable Object's running count (refills applied), not D1's last-set value. */
async function liveRemaining(env: Env, key: KeyRow): Promise<number | null> {
  if (key.remaining === null) return null;
  return askKeyState<number | null>(env, key.id, (state) => state.remaining(key.id));
}

/** A key as the API shows it, with its live credits. */
function renderKey(key: KeyRow, links: KeyLinks, remaining: number | null) {
  const ratelimit = ratelimitOf(key);
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
    lastUsedAt: key.last_used_at ?? undefined,
    expires: key.expires ?? undefined,
    remaining: remaining ?? undefined,
    refill: refillOf(key) ?? undefined,
    ratelimit: ratelimit ? { async: false, type: "consistent" as const, ...ratelimit } : undefined,
    ratelimits: links.limits,
    roles: links.roles,
    permissions: links.permissions,
    enabled: isKeyEnabled(key),
    environment: key.environment ?? undefined,
    ipAllowlist: parseJson<string[]>(key.ip_allowlist, []),
    tier: key.tier ?? undefined,
    revokedAt: key.revoked_at ?? undefined,
    revokeReason: key.revoke_reason ?? undefined,
    identity: links.identity ?? undefined,
  };
}
