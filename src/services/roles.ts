import { authorize, type Caller } from "../auth/caller";
import { writeFencedBatch } from "../counters/client";
import type { Env } from "../env";
import { KeygateError, notFound } from "../errors";
import { newId } from "../ids";
import type { CreateRoleInput } from "../schemas";
import { auditStatement } from "../store/audit";
import { batch } from "../store/db";
import {
  deleteRbac,
  findRbac,
  findRole,
  insertRbac,
  keysAffectedStatement,
  linkPermissionsToRole,
  listRoleRows,
  permissionNamesOfRole,
  type RoleRow,
} from "../store/rbac";
import { conflictOnTakenName, createdAuditEntries, resolveRbac } from "./rbac";

export async function createRole(env: Env, caller: Caller, input: CreateRoleInput): Promise<{ roleId: string }> {
  authorize(caller, "rbac.*.create_role");
  const taken = await findRbac(env.DB, "roles", caller.workspaceId, [], [input.name]);
  if (taken.length > 0) throw new KeygateError("CONFLICT", `A role named "${input.name}" already exists.`);
  const permissions = await resolveRbac(env, caller, "permissions", input.permissions ?? []);
  const roleId = newId("role");
  await conflictOnTakenName(
    batch(env.DB, () => [
      ...permissions.creates,
      insertRbac(env.DB, "roles", caller.workspaceId, { id: roleId, name: input.name }, input.description || null, Date.now()),
      ...linkPermissionsToRole(
        env.DB,
        roleId,
        permissions.rows.map((p) => p.id),
      ),
      ...createdAuditEntries("permissions", permissions.created).map((entry) => auditStatement(env.DB, caller, entry)),
      auditStatement(env.DB, caller, {
        event: "role.create",
        resources: [{ type: "role", id: roleId }, ...permissions.rows.map((p) => ({ type: "permission", id: p.id }))],
        description: `Created role "${input.name}" with permissions [${permissions.rows.map((p) => p.name).join(", ")}].`,
      }),
    ]),
  );
  return { roleId };
}

export async function getRole(env: Env, caller: Caller, roleId: string) {
  authorize(caller, "rbac.*.read_role");
  const role = await requireRole(env, caller, roleId);
  return { ...renderRole(role), permissions: await permissionNamesOfRole(env.DB, role.id) };
}

export async function listRoles(env: Env, caller: Caller) {
  authorize(caller, "rbac.*.read_role");
  return (await listRoleRows(env.DB, caller.workspaceId)).map(renderRole);
}

/** Deletes the role and its links; keys that held it lose its permissions on their very next verify. */
export async function deleteRole(env: Env, caller: Caller, roleId: string): Promise<void> {
  authorize(caller, "rbac.*.delete_role");
  const role = await requireRole(env, caller, roleId);
  await writeFencedBatch(
    env,
    () => keysAffectedStatement(env.DB, "roles", role.id),
    () => [
      ...deleteRbac(env.DB, "roles", role.id),
      auditStatement(env.DB, caller, {
        event: "role.delete",
        resources: [{ type: "role", id: role.id }],
        description: `Deleted role "${role.name}".`,
      }),
    ],
  );
}

async function requireRole(env: Env, caller: Caller, roleId: string): Promise<RoleRow> {
  const role = await findRole(env.DB, caller.workspaceId, roleId);
  if (!role) throw notFound(`role ${roleId} not found`);
  return role;
}

function renderRole(row: RoleRow) {
  return { id: row.id, name: row.name, description: row.description ?? undefined };
}
