import { apiPermission, authorize, type Caller } from "../auth/caller";
import { writeFencedBatch } from "../counters/client";
import type { Env } from "../env";
import { badRequest, notFound } from "../errors";
import { newId } from "../ids";
import type { CreateApiInput, UpdateApiInput } from "../schemas";
import { type ApiRow, findApi, insertApi, liveKeysOfApiStatement, setApiStalenessBound, softDeleteApi } from "../store/apis";
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
  const api = await requireApi(env, caller, apiId);
  return {
    id: api.id,
    workspaceId: api.workspace_id,
    name: api.name,
    ipAllowlist: parseJson<string[]>(api.ip_allowlist, []),
    keyPrefixes: parseJson<Record<string, string>>(api.key_prefixes, {}),
    verifyMaxStalenessMs: api.verify_max_staleness_ms,
  };
}

/**
 * Sets the api's staleness bound for edge mode. Its keys' objects are fenced, so leases lent from
 * now on follow the new bound; leases already lent keep the one they were lent under.
 */
export async function updateApi(env: Env, caller: Caller, input: UpdateApiInput): Promise<void> {
  authorize(caller, ...apiPermission(input.apiId, "update_api"));
  await requireApi(env, caller, input.apiId);
  await writeFencedBatch(
    env,
    () => liveKeysOfApiStatement(env.DB, input.apiId),
    () => [
      setApiStalenessBound(env.DB, input.apiId, input.verifyMaxStalenessMs),
      auditStatement(env.DB, caller, {
        event: "api.update",
        resources: [{ type: "api", id: input.apiId }],
        description: `Set api ${input.apiId}'s staleness bound to ${input.verifyMaxStalenessMs === null ? "the deployment's" : `${input.verifyMaxStalenessMs} ms`}.`,
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
