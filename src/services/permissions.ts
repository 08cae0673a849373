import { authorize, type Caller } from "../auth/caller";
import { writeFencedBatch } from "../counters/client";
import type { Env } from "../env";
import { KeygateError, notFound } from "../errors";
import { newId } from "../ids";
import type { CreatePermissionInput } from "../schemas";
import { auditStatement } from "../store/audit";
import { batch } from "../store/db";
import { deleteRbac, findPermission, findRbac, insertRbac, keysAffectedStatement, listPermissionRows, type PermissionRow } from "../store/rbac";
import { conflictOnTakenName } from "./rbac";

export async function createPermission(env: Env, caller: Caller, input: CreatePermissionInput): Promise<{ permissionId: string }> {
  authorize(caller, "rbac.*.create_permission");
  const taken = await findRbac(env.DB, "permissions", caller.workspaceId, [], [input.name]);
  if (taken.length > 0) throw new KeygateError("CONFLICT", `A permission named "${input.name}" already exists.`);
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

export async function getPermission(env: Env, caller: Caller, permissionId: string) {
  authorize(caller, "rbac.*.read_permission");
  return renderPermission(await requirePermission(env, caller, permissionId));
}

export async function listPermissions(env: Env, caller: Caller) {
  authorize(caller, "rbac.*.read_permission");
  return (await listPermissionRows(env.DB, caller.workspaceId)).map(renderPermission);
}

/** Deletes the permission and its links; keys that held it lose it on their very next verify. */
export async function deletePermission(env: Env, caller: Caller, permissionId: string): Promise<void> {
  authorize(caller, "rbac.*.delete_permission");
  const permission = await requirePermission(env, caller, permissionId);
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

async function requirePermission(env: Env, caller: Caller, permissionId: string): Promise<PermissionRow> {
  const permission = await findPermission(env.DB, caller.workspaceId, permissionId);
  if (!permission) throw notFound(`permission ${permissionId} not found`);
  return permission;
}

function renderPermission(row: PermissionRow) {
  return { id: row.id, name: row.name, slug: row.slug, description: row.description ?? undefined };
}
