import { apiPermission, authorize, authorizeOnSomeApi, type Caller } from "../auth/caller";
import { grants } from "../auth/permissions";
import { writeFencedBatch } from "../counters/client";
import type { Env } from "../env";
import { badRequest, notFound } from "../errors";
import { newId } from "../ids";
import type { CreateApiInput } from "../schemas";
import { type ApiColumns, type ApiRow, findApi, insertApi, listApiRows, liveKeysOfApiStatement, softDeleteApi, updateApiColumns } from "../store/apis";
import { auditStatement } from "../store/audit";
import { batch, parseJson } from "../store/db";
import { invalidAllowlistEntries } from "../verify/ipAllowlist";

export async function createApi(env: Env, caller: Caller, input: CreateApiInput): Promise<{ apiId: string }> {
  authorize(caller, "api.*.create_api");
  assertValidAllowlist(input.ipAllowlist ?? []);
  const apiId = newId("api");
  await batch(env.DB, () => [
    insertApi(env.DB, {
      id: apiId,
      workspace_id: caller.workspaceId,
      name: input.name,
      ipAllowlist: input.ipAllowlist ?? [],
      keyPrefixes: input.keyPrefixes ?? {},
      created_at: Date.now(),
      verify_max_staleness_ms: input.verifyMaxStalenessMs ?? null,
    }),
    auditStatement(env.DB, caller, { event: "api.create", resources: [{ type: "api", id: apiId }], description: `Created api "${input.name}".` }),
  ]);
  return { apiId };
}

export async function getApi(env: Env, caller: Caller, apiId: string) {
  authorize(caller, ...apiPermission(apiId, "read_api"));
  return renderApi(await requireApi(env, caller, apiId));
}

/**
 * A page of the workspace's apis, only those the caller may read (`api.*.read_api`, or
 * `api.<apiId>.read_api` for each one), so a page may hold fewer than `limit`; follow `cursor`.
 */
export async function listApis(env: Env, caller: Caller, page: { limit: number; cursor?: string }) {
  authorizeOnSomeApi(caller, "read_api");
  const rows = await listApiRows(env.DB, caller.workspaceId, page);
  const scanned = rows.slice(0, page.limit);
  const readable = scanned.filter((api) => apiPermission(api.id, "read_api").some((permission) => grants(caller.permissions, permission)));
  return {
    apis: readable.map(renderApi),
    cursor: rows.length > page.limit ? scanned[scanned.length - 1]!.id : undefined,
  };
}

function renderApi(api: ApiRow) {
  return {
    id: api.id,
    workspaceId: api.workspace_id,
    name: api.name,
    ipAllowlist: parseJson<string[]>(api.ip_allowlist, []),
    keyPrefixes: parseJson<Record<string, string>>(api.key_prefixes, {}),
    verifyMaxStalenessMs: api.verify_max_staleness_ms,
  };
}

/** A change to an api: only the fields given change. */
export interface ApiChange {
  apiId: string;
  /** Edge mode's staleness bound; null: the deployment's. */
  verifyMaxStalenessMs?: number | null;
  ipAllowlist?: string[];
  keyPrefixes?: Record<string, string>;
}

/**
 * Changes the api's staleness bound for edge mode, IP allowlist or key prefixes. Its keys' objects
 * are fenced, so leases lent from now on follow the change; leases already lent keep the bound
 * they were lent under.
 */
export async function updateApi(env: Env, caller: Caller, input: ApiChange): Promise<void> {
  authorize(caller, ...apiPermission(input.apiId, "update_api"));
  if (input.ipAllowlist) assertValidAllowlist(input.ipAllowlist);
  const columns: ApiColumns = {};
  const changes: string[] = [];
  if (input.verifyMaxStalenessMs !== undefined) {
    columns.verify_max_staleness_ms = input.verifyMaxStalenessMs;
    changes.push(`staleness bound to ${input.verifyMaxStalenessMs === null ? "the deployment's" : `${input.verifyMaxStalenessMs} ms`}`);
  }
  if (input.ipAllowlist !== undefined) {
    columns.ip_allowlist = JSON.stringify(input.ipAllowlist);
    changes.push(`IP allowlist to [${input.ipAllowlist.join(", ")}]`);
  }
  if (input.keyPrefixes !== undefined) {
    columns.key_prefixes = JSON.stringify(input.keyPrefixes);
    changes.push(`key prefixes to ${JSON.stringify(input.keyPrefixes)}`);
  }
  if (changes.length === 0) throw badRequest("give verifyMaxStalenessMs, ipAllowlist or keyPrefixes to change");
  await requireApi(env, caller, input.apiId);
  await writeFencedBatch(
    env,
    () => liveKeysOfApiStatement(env.DB, input.apiId),
    () => [
      updateApiColumns(env.DB, input.apiId, columns),
      auditStatement(env.DB, caller, {
        event: "api.update",
        resources: [{ type: "api", id: input.apiId }],
        description: `Set api ${input.apiId}'s ${changes.join(", ")}.`,
      }),
    ],
  );
}

/** Deletes the api and every key in it; each key fails its very next verify. */
export async function deleteApi(env: Env, caller: Caller, apiId: string): Promise<void> {
  authorize(caller, ...apiPermission(apiId, "delete_api"));
  await requireApi(env, caller, apiId);
  await writeFencedBatch(
    env,
    () => liveKeysOfApiStatement(env.DB, apiId),
    () => [
      ...softDeleteApi(env.DB, apiId, Date.now()),
      auditStatement(env.DB, caller, { event: "api.delete", resources: [{ type: "api", id: apiId }], description: `Deleted api ${apiId} and its keys.` }),
    ],
  );
}

export async function requireApi(env: Env, caller: Caller, apiId: string): Promise<ApiRow> {
  const api = await findApi(env.DB, caller.workspaceId, apiId);
  if (!api) throw notFound(`api ${apiId} not found`);
  return api;
}

export function assertValidAllowlist(entries: string[]): void {
  const invalid = invalidAllowlistEntries(entries);
  if (invalid.length > 0) throw badRequest(`ipAllowlist: "${invalid[0]}" is not an IP address or CIDR range`);
}
