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
  findRoleByIdOrName,
  insertRbac,
  keysAffectedStatement,
  linkPermissionsToRole,
  listRolePage,
  listRoleRows,
  permissionNamesOfRole,
  permissionsOfRoles,
  type RbacPageQuery,
  type RoleRow,
  unlinkAllPermissionsFromRole,
} from "../store/rbac";
import { renderPermission } from "./permissions";
import { conflictOnTakenName, createdAuditEntries, resolveRbac } from "./rbac";

/** How a caller names a role: Unkey v1 by its id, Unkey v2 by its id or its name. */
export type RoleLookup = "id" | "idOrName";

/**
 * A new role. `permissions` are names (Unkey v1); `permissionSlugs` are slugs, as Unkey v2 gives
 * them, and attaching any needs rbac.*.add_permission_to_role as Unkey v2 asks.
 */
export type NewRole = CreateRoleInput & { permissionSlugs?: string[] };

export async function createRole(env: Env, caller: Caller, input: NewRole): Promise<{ roleId: string }> {
  authorize(caller, "rbac.*.create_role");
  const slugs = input.permissionSlugs ?? [];
  if (slugs.length > 0) authorize(caller, "rbac.*.add_permission_to_role");
  const taken = await findRbac(env.DB, "roles", caller.workspaceId, [], [input.name]);
  if (taken.length > 0) throw new KeygateError("CONFLICT", `A role named "${input.name}" already exists.`);
  const permissions = await resolveRbac(env, caller, "permissions", [...(input.permissions ?? []), ...slugs]);
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

/** The role, with the names of the permissions it grants. */
export async function getRole(env: Env, caller: Caller, roleId: string) {
  authorize(caller, "rbac.*.read_role");
  const role = await requireRole(env, caller, roleId, "id");
  return { ...renderRole(role), permissions: await permissionNamesOfRole(env.DB, role.id) };
}

/** The role, with the permissions it grants in full. */
export async function getRoleWithPermissions(env: Env, caller: Caller, roleRef: string, lookup: RoleLookup = "id") {
  authorize(caller, "rbac.*.read_role");
  const role = await requireRole(env, caller, roleRef, lookup);
  const permissions = await permissionsOfRoles(env.DB, [role.id]);
  return { ...renderRole(role), permissions: permissions.get(role.id)!.map(renderPermission) };
}

export async function listRoles(env: Env, caller: Caller) {
  authorize(caller, "rbac.*.read_role");
  return (await listRoleRows(env.DB, caller.workspaceId)).map(renderRole);
}

/** A page of the workspace's roles in id order, each with its permissions in full; follow `cursor` until it is absent. */
export async function listRolesPaged(env: Env, caller: Caller, query: RbacPageQuery) {
  authorize(caller, "rbac.*.read_role");
  const rows = await listRolePage(env.DB, caller.workspaceId, query);
  const page = rows.slice(0, query.limit);
  const permissions = await permissionsOfRoles(
    env.DB,
    page.map((role) => role.id),
  );
  return {
    roles: page.map((role) => ({ ...renderRole(role), permissions: permissions.get(role.id)!.map(renderPermission) })),
    cursor: rows.length > query.limit ? page[page.length - 1]!.id : undefined,
  };
}

/**
 * Replaces the permissions a role grants with these, given by slug; missing ones are created
 * (which needs rbac.*.create_permission). Returns once every verify of the role's keys sees the
 * change, with the role's permissions as they now are.
 */
export async function setRolePermissions(env: Env, caller: Caller, input: { role: string; permissionSlugs: string[] }) {
  authorize(caller, "rbac.*.add_permission_to_role");
  authorize(caller, "rbac.*.remove_permission_from_role");
  const role = await requireRole(env, caller, input.role, "idOrName");
  const permissions = await resolveRbac(env, caller, "permissions", input.permissionSlugs);
  await conflictOnTakenName(
    writeFencedBatch(
      env,
      () => keysAffectedStatement(env.DB, "roles", role.id),
      () => [
        ...permissions.creates,
        unlinkAllPermissionsFromRole(env.DB, role.id),
        ...linkPermissionsToRole(
          env.DB,
          role.id,
          permissions.rows.map((p) => p.id),
        ),
        ...createdAuditEntries("permissions", permissions.created).map((entry) => auditStatement(env.DB, caller, entry)),
        auditStatement(env.DB, caller, {
          event: "role.permissions.update",
          resources: [{ type: "role", id: role.id }, ...permissions.rows.map((p) => ({ type: "permission", id: p.id }))],
          description: `Set the permissions of role "${role.name}" to [${permissions.rows.map((p) => p.name).join(", ")}].`,
        }),
      ],
    ),
  );
  return (await permissionsOfRoles(env.DB, [role.id])).get(role.id)!.map(renderPermission);
}

/** Deletes the role and its links; keys that held it lose its permissions on their very next verify. */
export async function deleteRole(env: Env, caller: Caller, roleRef: string, lookup: RoleLookup = "id"): Promise<void> {
  authorize(caller, "rbac.*.delete_role");
  const role = await requireRole(env, caller, roleRef, lookup);
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

async function requireRole(env: Env, caller: Caller, roleRef: string, lookup: RoleLookup): Promise<RoleRow> {
  const role = lookup === "id" ? await findRole(env.DB, caller.workspaceId, roleRef) : await findRoleByIdOrName(env.DB, caller.workspaceId, roleRef);
  if (!role) throw notFound(`role ${roleRef} not found`);
  return role;
}

export function renderRole(row: RoleRow) {
  return { id: row.id, name: row.name, description: row.description ?? undefined };
}
