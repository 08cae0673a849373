import { authorize, type Caller } from "../auth/caller";
import type { Env } from "../env";
import { badRequest, notFound } from "../errors";
import { newId } from "../ids";
import type { SetOverrideInput } from "../schemas";
import { auditStatement } from "../store/audit";
import { batch } from "../store/db";
import {
  deleteOverrideStatement,
  findNamespace,
  findOverride,
  listOverrideRows,
  type NamespaceLookup,
  type NamespaceRow,
  type OverrideRow,
  upsertOverride,
} from "../store/ratelimits";

/** A namespace, by id and/or by name (Unkey v1), or by one string that is either (v2's `namespace`). */
export type NamespaceRef = NamespaceLookup;

/** Sets (or replaces) the limit and duration that ratelimits.limit uses for this identifier. */
export async function setOverride(env: Env, caller: Caller, input: SetOverrideInput & NamespaceRef): Promise<{ overrideId: string }> {
  const namespace = await requireNamespace(env, caller, input, "set_override");
  const [written] = await batch(env.DB, [
    upsertOverride(env.DB, {
      id: newId("rlo"),
      namespace_id: namespace.id,
      identifier: input.identifier,
      limit: input.limit,
      duration: input.duration,
      async: input.async === undefined ? null : input.async ? 1 : 0,
      created_at: Date.now(),
    }),
    auditStatement(env.DB, caller, {
      event: "ratelimit.override.set",
      resources: [{ type: "ratelimitNamespace", id: namespace.id }],
      description: `Set the limit of "${input.identifier}" in namespace "${namespace.name}" to ${input.limit} per ${input.duration} ms.`,
    }),
  ]);
  return { overrideId: (written!.results[0] as { id: string }).id };
}

export async function getOverride(env: Env, caller: Caller, input: NamespaceRef & { identifier: string }) {
  const namespace = await requireNamespace(env, caller, input, "read_override");
  return renderOverride(await requireOverride(env, namespace, input.identifier));
}

export async function listOverrides(env: Env, caller: Caller, input: NamespaceRef & { limit: number; cursor?: string }) {
  const namespace = await requireNamespace(env, caller, input, "read_override");
  const { rows, total } = await listOverrideRows(env.DB, namespace.id, input);
  const page = rows.slice(0, input.limit);
  return {
    overrides: page.map(renderOverride),
    cursor: rows.length > input.limit ? page[page.length - 1]!.id : undefined,
    total,
  };
}

export async function deleteOverride(env: Env, caller: Caller, input: NamespaceRef & { identifier: string }): Promise<void> {
  const namespace = await requireNamespace(env, caller, input, "delete_override");
  const override = await requireOverride(env, namespace, input.identifier);
  await batch(env.DB, [
    deleteOverrideStatement(env.DB, override.id),
    auditStatement(env.DB, caller, {
      event: "ratelimit.override.delete",
      resources: [{ type: "ratelimitNamespace", id: namespace.id }],
      description: `Removed the override of "${input.identifier}" in namespace "${namespace.name}".`,
    }),
  ]);
}

/**
 * The namespace, once the caller may act on it (`ratelimit.*.<action>` or
 * `ratelimit.<namespaceId>.<action>`). A caller without the wildcard learns nothing about
 * namespaces it cannot act on: a missing one is a 403 for it too.
 */
async function requireNamespace(env: Env, caller: Caller, ref: NamespaceRef, action: string): Promise<NamespaceRow> {
  if (ref.namespaceId === undefined && ref.namespaceName === undefined && ref.idOrName === undefined) {
    throw badRequest("namespaceId: give namespaceId or namespaceName");
  }
  const namespace = await findNamespace(env.DB, caller.workspaceId, ref);
  authorize(caller, `ratelimit.*.${action}`, ...(namespace ? [`ratelimit.${namespace.id}.${action}`] : []));
  if (!namespace) {
    const named = ref.namespaceId ?? `"${ref.namespaceName ?? ref.idOrName}"`;
    throw notFound(`ratelimit namespace ${named} not found; a namespace is created by its first ratelimits.limit (v1) or ratelimit.limit (v2) call`);
  }
  return namespace;
}

async function requireOverride(env: Env, namespace: NamespaceRow, identifier: string): Promise<OverrideRow> {
  const override = await findOverride(env.DB, namespace.id, identifier);
  if (!override) throw notFound(`no override for "${identifier}" in namespace "${namespace.name}"`);
  return override;
}

function renderOverride(row: OverrideRow) {
  return {
    id: row.id,
    identifier: row.identifier,
    limit: row.limit,
    duration: row.duration,
    async: row.async === null ? null : row.async === 1,
  };
}
