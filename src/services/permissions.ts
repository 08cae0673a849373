import { authorize, type Caller } from "../auth/caller";
import { writeFencedBatch } from "../counters/client";
import type { Env } from "../env";
import { KeygateError, notFound } from "../errors";
import { newId } from "../ids";
import type { CreatePermissionInput } from "../schemas";
import { auditStatement } from "../store/audit";
import { batch } from "../store/db";
import {
  deleteRbac,
  findPermission,
  findPermissionByIdOrSlug,
  findRbac,
  insertRbac,
  isPermissionSlugTaken,
  keysAffectedStatement,
  listPermissionPage,
  listPermissionRows,
  type PermissionRow,
  type RbacPageQuery,
} from "../store/rbac";
import { conflictOnTakenName } from "./rbac";

export async function createPermission(env: Env, caller: Caller, input: CreatePermissionInput): Promise<{ permissionId: string }> {
  authorize(caller, "rbac.*.create_permission");
  const taken = await findRbac(env.DB, "permissions", caller.workspaceId, [], [input.name]);
  if (taken.length > 0) throw new KeygateError("CONFLICT", `A permission named "${input.name}" already exists.`);
  // A slug names the permission too (Unkey v2 finds permissions by slug), so a given one must be free.
  if (input.slug !== undefined && (await isPermissionSlugTaken(env.DB, caller.workspaceId, input.slug))) {
    throw new KeygateError("CONFLICT", `A permission with slug "${input.slug}" already exists.`);
  }
  const permissionId = newId("perm");
  const row = { id: permissionId, name: input.name, slug: input.slug };
  await conflictOnTakenName(
    batch(env.DB, () => [
      insertRbac(env.DB, "permissions", caller.workspaceId, row, input.description || null, Date.now()),
      auditStatement(env.DB, caller, {
        event: "permission.create",
        resources: [{ type: "permission", id: permissionId }],
        description: `Created permission "${input.name}".`,
      }),
    ]),
  );
  return { permissionId };
}

/** How a caller names a permission: Unkey v1 by its id, Unkey v2 by its id or its slug. */
export type PermissionLookup = "id" | "idOrSlug";

export async function getPermission(env: Env, caller: Caller, permissionRef: string, lookup: PermissionLookup = "id") {
  authorize(caller, "rbac.*.read_permission");
  return renderPermission(await requirePermission(env, caller, permissionRef, lookup));
}

export async function listPermissions(env: Env, caller: Caller) {
  authorize(caller, "rbac.*.read_permission");
  return (await listPermissionRows(env.DB, caller.workspaceId)).map(renderPermission);
}

/** A page of the workspace's permissions in id order; follow `cursor` until it is absent. */
export async function listPermissionsPaged(env: Env, caller: Caller, query: RbacPageQuery) {
  authorize(caller, "rbac.*.read_permission");
  const rows = await listPermissionPage(env.DB, caller.workspaceId, query);
  const page = rows.slice(0, query.limit);
  return { permissions: page.map(renderPermission), cursor: rows.length > query.limit ? page[page.length - 1]!.id : undefined };
}

/** Deletes the permission and its links; keys that held it lose it on their very next verify. */
export async function deletePermission(env: Env, caller: Caller, permissionRef: string, lookup: PermissionLookup = "id"): Promise<void> {
  authorize(caller, "rbac.*.delete_permission");
  const permission = await requirePermission(env, caller, permissionRef, lookup);
  await writeFencedBatch(
    env,
    () => keysAffectedStatement(env.DB, "permissions", permission.id),
    () => [
      ...deleteRbac(env.DB, "permissions", permission.id),
      auditStatement(env.DB, caller, {
        event: "permission.delete",
        resources: [{ type: "permission", id: permission.id }],
        description: `Deleted permission "${permission.name}".`,
      }),
    ],
  );
}

async function requirePermission(env: Env, caller: Caller, permissionRef: string, lookup: PermissionLookup): Promise<PermissionRow> {
  const permission =
    lookup === "id"
      ? await findPermission(env.DB, caller.workspaceId, permissionRef)
      : await findPermissionByIdOrSlug(env.DB, caller.workspaceId, permissionRef);
  if (!permission) throw notFound(`permission ${permissionRef} not found`);
  return permission;
}

export function renderPermission(row: PermissionRow) {
  return { id: row.id, name: row.name, slug: row.slug, description: row.description ?? undefined };
}
