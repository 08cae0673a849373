import { authorize, type Caller } from "../auth/caller";
import { writeFencedBatch } from "../counters/client";
import type { Env } from "../env";
import { badRequest, KeygateError, notFound } from "../errors";
import { newId } from "../ids";
import type { CreateIdentityInput, UpdateIdentityInput } from "../schemas";
import { auditStatement } from "../store/audit";
import { batch, isUniqueViolation, parseJson } from "../store/db";
import {
  findIdentity,
  type IdentityColumns,
  type IdentityPageQuery,
  type IdentityRow,
  identityLimits,
  insertIdentity,
  listIdentityRows,
  liveKeysOfIdentityStatement,
  type NamedLimitRow,
  replaceIdentityLimits,
  softDeleteIdentity,
  updateIdentityColumns,
} from "../store/identities";

/**
 * An identity, by identityId or by externalId (both must match when both are given), or by
 * `identity`, which Unkey v2 gives: an identityId, or else an externalId.
 */
export type IdentityRef = Pick<UpdateIdentityInput, "identityId" | "externalId"> & { identity?: string };

export async function createIdentity(env: Env, caller: Caller, input: CreateIdentityInput): Promise<{ identityId: string }> {
  authorize(caller, "identity.*.create_identity");
  const taken = () => new KeygateError("CONFLICT", `An identity with externalId "${input.externalId}" already exists.`);
  if (await findIdentity(env.DB, caller.workspaceId, { externalId: input.externalId })) throw taken();
  const identityId = newId("id");
  const statements = () => [
    insertIdentity(env.DB, {
      id: identityId,
      workspace_id: caller.workspaceId,
      external_id: input.externalId,
      meta: JSON.stringify(input.meta ?? {}),
      tier: input.tier ?? null,
      created_at: Date.now(),
    }),
    ...replaceIdentityLimits(env.DB, caller.workspaceId, identityId, input.ratelimits ?? []),
    auditStatement(env.DB, caller, {
      event: "identity.create",
      resources: [{ type: "identity", id: identityId }],
      description: `Created identity ${identityId} for externalId "${input.externalId}".`,
    }),
  ];
  try {
    await batch(env.DB, statements);
  } catch (err) {
    // Another request created the same externalId between the check and the write.
    throw isUniqueViolation(err, "identities") ? taken() : err;
  }
  return { identityId };
}

export async function getIdentity(env: Env, caller: Caller, ref: IdentityRef) {
  authorize(caller, "identity.*.read_identity");
  return identityWithLimits(env, await requireIdentity(env, caller, ref));
}

/** A page of the workspace's identities, as Unkey v1 lists them: without meta. */
export async function listIdentities(env: Env, caller: Caller, query: IdentityPageQuery) {
  const { identities, cursor, total } = await listIdentitiesInFull(env, caller, query);
  return { identities: identities.map(({ id, externalId, ratelimits }) => ({ id, externalId, ratelimits })), cursor, total };
}

/** A page of the workspace's identities in id order, each with its meta, limits and tier. */
export async function listIdentitiesInFull(env: Env, caller: Caller, query: IdentityPageQuery) {
  authorize(caller, "identity.*.read_identity");
  const { rows, total } = await listIdentityRows(env.DB, caller.workspaceId, query);
  const page = rows.slice(0, query.limit);
  const limits = await identityLimits(
    env.DB,
    page.map((row) => row.id),
  );
  return {
    identities: page.map((row) => renderIdentity(row, limits.get(row.id)!)),
    cursor: rows.length > query.limit ? page[page.length - 1]!.id : undefined,
    total,
  };
}

/** Applies the fields given (`ratelimits` replaces the whole set); every key of the identity sees it on its next verify. */
export async function updateIdentity(env: Env, caller: Caller, input: UpdateIdentityInput & IdentityRef) {
  authorize(caller, "identity.*.update_identity");
  const identity = await requireIdentity(env, caller, input);
  const columns: IdentityColumns = {};
  if (input.meta !== undefined) columns.meta = JSON.stringify(input.meta);
  if (input.tier !== undefined) columns.tier = input.tier;
  const changed = [input.meta !== undefined && "meta", input.ratelimits !== undefined && "ratelimits", input.tier !== undefined && "tier"].filter(Boolean);
  const statements = () => [
    updateIdentityColumns(env.DB, identity.id, columns, Date.now()),
    ...(input.ratelimits ? replaceIdentityLimits(env.DB, caller.workspaceId, identity.id, input.ratelimits) : []),
    auditStatement(env.DB, caller, {
      event: "identity.update",
      resources: [{ type: "identity", id: identity.id }],
      description: `Updated ${changed.join(", ") || "nothing"} of identity ${identity.id}.`,
    }),
  ];
  await writeFencedBatch(env, () => liveKeysOfIdentityStatement(env.DB, identity.id), statements);
  return identityWithLimits(env, await requireIdentity(env, caller, { identityId: identity.id }));
}

/**
 * Soft-deletes the identity (given by identityId, or by a reference): its keys keep working,
 * without its limits and meta, from their next verify.
 */
export async function deleteIdentity(env: Env, caller: Caller, ref: string | IdentityRef): Promise<void> {
  authorize(caller, "identity.*.delete_identity");
  const identity = await requireIdentity(env, caller, typeof ref === "string" ? { identityId: ref } : ref);
  await writeFencedBatch(
    env,
    () => liveKeysOfIdentityStatement(env.DB, identity.id),
    () => [
      ...softDeleteIdentity(env.DB, identity.id, Date.now()),
      auditStatement(env.DB, caller, {
        event: "identity.delete",
        resources: [{ type: "identity", id: identity.id }],
        description: `Deleted identity ${identity.id} (externalId "${identity.external_id}"); its keys no longer share its limits or meta.`,
      }),
    ],
  );
}

async function requireIdentity(env: Env, caller: Caller, ref: IdentityRef): Promise<IdentityRow> {
  if (ref.identity !== undefined) {
    const identity =
      (await findIdentity(env.DB, caller.workspaceId, { identityId: ref.identity })) ??
      (await findIdentity(env.DB, caller.workspaceId, { externalId: ref.identity }));
    if (!identity) throw notFound(`identity ${ref.identity} not found`);
    return identity;
  }
  if (ref.identityId === undefined && ref.externalId === undefined) throw badRequest("identityId: give identityId or externalId");
  const identity = await findIdentity(env.DB, caller.workspaceId, ref);
  if (!identity) throw notFound(`identity ${ref.identityId ?? `with externalId "${ref.externalId}"`} not found`);
  return identity;
}

async function identityWithLimits(env: Env, identity: IdentityRow) {
  const limits = await identityLimits(env.DB, [identity.id]);
  return renderIdentity(identity, limits.get(identity.id)!);
}

function renderIdentity(identity: IdentityRow, ratelimits: NamedLimitRow[]) {
  return {
    id: identity.id,
    externalId: identity.external_id,
    meta: parseJson<Record<string, unknown>>(identity.meta, {}),
    ratelimits,
    tier: identity.tier ?? undefined,
  };
}
