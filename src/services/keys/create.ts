import { apiPermission, authorize, type Caller } from "../../auth/caller";
import { DEFAULT_BYTE_LENGTH, issueKey } from "../../crypto/keys";
import type { Env } from "../../env";
import { badRequest } from "../../errors";
import { newId } from "../../ids";
import type { CreateKeyInput, KeySettings } from "../../schemas";
import type { ApiRow } from "../../store/apis";
import { auditStatement } from "../../store/audit";
import { batch, parseJson } from "../../store/db";
import { linkKeyToExternalId } from "../../store/identities";
import { insertKey, replaceKeyLimits } from "../../store/keys";
import { linkToKey, type RbacRow } from "../../store/rbac";
import { requireApi } from "../apis";
import { authorizeLinksOfNewKeys, type NewKeyRoles, resolveRbac, roleNamesToResolve } from "../rbac";
import { assertValidKeySettings, ratelimitColumns, refillColumns } from "./settings";

/**
 * Issues a key. Missing permissions are created (with the right to); missing roles too, unless
 * `rolesMustExist` (Unkey v2), where a role that does not exist is a 404 and nothing is written.
 */
export async function createKey(env: Env, caller: Caller, input: CreateKeyInput, options: NewKeyRoles = {}): Promise<{ keyId: string; key: string }> {
  authorize(caller, ...apiPermission(input.apiId, "create_key"));
  authorizeLinksOfNewKeys(caller, [input]);
  if (input.recoverable) throw badRequest("recoverable: Keygate stores only key hashes, so keys cannot be recovered");
  const api = await requireApi(env, caller, input.apiId);
  const now = Date.now();
  assertValidKeySettings(input, now);
  const [permissions, roles] = await Promise.all([
    resolveRbac(env, caller, "permissions", input.permissions ?? []),
    resolveRbac(env, caller, "roles", roleNamesToResolve(input.roles ?? [], options)),
  ]);
  // A Map, so an environment named like an Object.prototype member (`constructor`) finds nothing.
  const environmentPrefixes = new Map(Object.entries(parseJson<Record<string, string>>(api.key_prefixes, {})));
  const prefix = input.prefix ?? (input.environment ? environmentPrefixes.get(input.environment) : undefined);
  const issued = issueKey(prefix, input.byteLength ?? DEFAULT_BYTE_LENGTH);
  const key = newKeyStatements(env.DB, caller, api, input, issued, { permissions: permissions.rows, roles: roles.rows }, now, "Created");
  await batch(env.DB, () => [...permissions.creates, ...roles.creates, ...key.statements()]);
  return { keyId: key.keyId, key: issued.plaintext };
}

/** What a key's hash stands for, without its plaintext. */
export interface KeySecret {
  hash: string;
  start: string;
  last4: string;
}

/**
 * The statements that write one new key with its links, limits and audit row, for a batch.
 * `rbac` holds the resolved rows of the names in `input.permissions` and `input.roles`.
 */
export function newKeyStatements(
  db: D1Database,
  caller: Caller,
  api: ApiRow,
  input: KeySettings,
  secret: KeySecret,
  rbac: { permissions: RbacRow[]; roles: RbacRow[] },
  now: number,
  verb: "Created" | "Imported",
): { keyId: string; statements: () => D1PreparedStatement[] } {
  const keyId = newId("key");
  const externalId = input.externalId ?? input.ownerId;
  const named = (rows: RbacRow[], names: string[] | undefined) => rows.filter((row) => names?.includes(row.name)).map((row) => row.id);
  const statements = () => [
    insertKey(db, {
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
      ...refillColumns(input.refill),
      ...ratelimitColumns(input.ratelimit),
      ip_allowlist: JSON.stringify(input.ipAllowlist ?? []),
      tier: input.tier ?? null,
      revoked_at: null,
      revoke_reason: null,
      created_at: now,
    }),
    ...(externalId ? linkKeyToExternalId(db, caller.workspaceId, keyId, externalId, now) : []),
    ...linkToKey(db, "permissions", keyId, named(rbac.permissions, input.permissions)),
    ...linkToKey(db, "roles", keyId, named(rbac.roles, input.roles)),
    ...(input.ratelimits?.length ? replaceKeyLimits(db, caller.workspaceId, keyId, input.ratelimits) : []),
    auditStatement(db, caller, {
      event: "key.create",
      resources: [
        { type: "api", id: api.id },
        { type: "key", id: keyId },
      ],
      description: `${verb} key ${keyId} (${secret.start}…) in api ${api.id}.`,
    }),
  ];
  return { keyId, statements };
}
