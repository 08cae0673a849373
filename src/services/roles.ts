import { authorize, type Caller } from "../auth/caller";
import { writeFencedBatch } from "../counters/client";
import { KeygateError, dependency, notFound } from "../errors";
import type { Env } from "../env";
import { newId } from "../ids";
import { auditStatement } from "../store/audit";
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

export interface CreateRoleInput {
  name: string;
  description?: string;
  /** Names of the permissions the role grants; missing ones are created. */
  permissions?: string[];
}

export async function createRole(env: Env, caller: Caller, input: CreateRoleInput): Promise<{ roleId: string }> {
  authorize(caller, "rbac.*.create_role");
  const taken = await findRbac(env, "roles", caller.workspaceId, [], [input.name]);
  if (taken.length > 0) throw new KeygateError("CONFLICT", `A role named "${input.name}" already exists.`);
  const permissions = await resolveRbac(env, caller, "permissions", input.permissions ?? []);
  const roleId = newId("role");
  await dependency("D1", () =>
    conflictOnTakenName(
      env.DB.batch([
        ...permissions.creates,
        insertRbac(env, "roles", caller.workspaceId, { id: roleId, name: input.name }, input.description || null, Date.now()),
        ...linkPermissionsToRole(env, roleId, permissions.rows.map((p) => p.id)),
        ...createdAuditEntries("permissions", permissions.created).map((entry) => auditStatement(env, caller, entry)),
        auditStatement(env, caller, {
          event: "role.create",
          resources: [{ type: "role", id: roleId }, ...permissions.rows.map((p) => ({ type: "permission", id: p.id }))],
          description: `Created role "${input.name}" with permissions [${permissions.rows.map((p) => p.name).join(", ")}].`,
        }),
      ]),
    ),
  );
  return { roleId };
}

export async function getRole(env: Env, caller: Caller, roleId: string) {
  authorize(caller, "rbac.*.read_role");
  const role = await requireRole(env, caller, roleId);
  return { ...renderRole(role), permissions: await permissionNamesOfRole(env, role.id) };
}

export async function listRoles(env: Env, caller: Caller) {
  authorize(caller, "rbac.*.read_role");
  return (await listRoleRows(env, caller.workspaceId)).map(renderRole);
}

/** Deletes the role and its links; keys that held it lose its permissions on their very next verify. */
export async function deleteRole(env: Env, caller: Caller, roleId: string): Promise<void> {
  authorize(caller, "rbac.*.delete_role");
  const role = await requireRole(env, caller, roleId);
  await writeFencedBatch(
    env,
    () => keysAffectedStatement(env, "roles", role.id),
    () => [
      ...deleteRbac(env, "roles", role.id),
      auditStatement(env, caller, {
        event: "role.delete",
        resources: [{ type: "role", id: role.id }],
        description: `Deleted role "${role.name}".`,
      }),
    ],
  );
}

async function requireRole(env: Env, caller: Caller, roleId: string): Promise<RoleRow> {
  const role = await findRole(env, caller.workspaceId, roleId);
  if (!role) throw notFound(`role ${roleId} not found`);
  return role;
}

function renderRole(row: RoleRow) {
  return { id: row.id, name: row.name, description: row.description ?? undefined };
}
