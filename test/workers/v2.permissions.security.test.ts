import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { post } from "../helpers/harness";
import { otherWorkspaceRootKey, rootKeyWith, uniqueName } from "../helpers/rootKeys";
import { forbidden } from "../helpers/unkeyV2Sdk";

const operations = [
  "permissions.createPermission",
  "permissions.getPermission",
  "permissions.listPermissions",
  "permissions.deletePermission",
  "permissions.createRole",
  "permissions.getRole",
  "permissions.listRoles",
  "permissions.setRolePermissions",
  "permissions.deleteRole",
];

const roleNamed = (name: string) => env.DB.prepare("SELECT id FROM roles WHERE name = ?").bind(name).first();
const permissionSlugged = (slug: string) => env.DB.prepare("SELECT id FROM permissions WHERE slug = ?").bind(slug).first();
const slugsOfRole = async (roleId: string) =>
  (
    await env.DB.prepare("SELECT p.slug FROM roles_permissions rp JOIN permissions p ON p.id = rp.permission_id WHERE rp.role_id = ? ORDER BY p.slug")
      .bind(roleId)
      .all<{ slug: string }>()
  ).results.map((row) => row.slug);

describe("v2 permissions security", () => {
  it("needs a valid root key for every operation", async () => {
    for (const operation of operations) {
      for (const rootKey of [null, "not_a_root_key"]) {
        const res = await post(`/v2/${operation}`, { name: "x", slug: "x", permission: "x", role: "x" }, { rootKey });
        expect(res.status, operation).toBe(401);
        expect(res.body.error).toMatchObject({ title: "Unauthorized", status: 401, type: "docs/errors.md#unauthorized" });
      }
    }
  });

  it("needs rbac.*.create_permission to create a permission, and writes nothing without it", async () => {
    const slug = uniqueName("denied");
    await forbidden("permissions.createPermission", { name: slug, slug }, await rootKeyWith(["rbac.*.read_permission"]), "rbac.*.create_permission");
    expect(await permissionSlugged(slug)).toBeNull();
  });

  it("needs create_role, and add_permission_to_role with permissions, and create_permission for missing ones", async () => {
    const existing = uniqueName("existing");
    await post("/v2/permissions.createPermission", { name: existing, slug: existing });
    const missing = uniqueName("missing");

    const roleOnly = await rootKeyWith(["rbac.*.create_role", "rbac.*.create_permission"]);
    const denied = uniqueName("denied");
    await forbidden("permissions.createRole", { name: denied, permissions: [existing] }, roleOnly, "rbac.*.add_permission_to_role");
    expect((await post("/v2/permissions.createRole", { name: uniqueName("bare") }, { rootKey: roleOnly })).status).toBe(200);

    const noCreate = await rootKeyWith(["rbac.*.create_role", "rbac.*.add_permission_to_role"]);
    expect((await post("/v2/permissions.createRole", { name: uniqueName("reuses") }, { rootKey: noCreate })).status).toBe(200);
    await forbidden("permissions.createRole", { name: denied, permissions: [existing, missing] }, noCreate, "rbac.*.create_permission");

    await forbidden("permissions.createRole", { name: denied }, await rootKeyWith(["rbac.*.read_role"]), "rbac.*.create_role");
    expect(await roleNamed(denied)).toBeNull();
    expect(await permissionSlugged(missing)).toBeNull();
  });

  it("needs add and remove_permission_from_role to set a role's permissions, and create_permission for missing ones", async () => {
    const [kept, missing] = [uniqueName("kept"), uniqueName("missing")];
    const roleId = (await post("/v2/permissions.createRole", { name: uniqueName("guarded"), permissions: [kept] })).body.data.roleId;

    await forbidden(
      "permissions.setRolePermissions",
      { roleId, permissions: [] },
      await rootKeyWith(["rbac.*.add_permission_to_role"]),
      "rbac.*.remove_permission_from_role",
    );
    await forbidden(
      "permissions.setRolePermissions",
      { roleId, permissions: [] },
      await rootKeyWith(["rbac.*.remove_permission_from_role"]),
      "rbac.*.add_permission_to_role",
    );
    const setter = await rootKeyWith(["rbac.*.add_permission_to_role", "rbac.*.remove_permission_from_role"]);
    await forbidden("permissions.setRolePermissions", { roleId, permissions: [missing] }, setter, "rbac.*.create_permission");
    expect(await slugsOfRole(roleId)).toEqual([kept]);
    expect(await permissionSlugged(missing)).toBeNull();

    expect((await post("/v2/permissions.setRolePermissions", { roleId, permissions: [] }, { rootKey: setter })).status).toBe(200);
    expect(await slugsOfRole(roleId)).toEqual([]);
  });

  it("needs read_permission, read_role, delete_permission and delete_role to read and delete", async () => {
    const slug = uniqueName("guarded");
    await post("/v2/permissions.createPermission", { name: slug, slug });
    const role = uniqueName("guarded.role");
    await post("/v2/permissions.createRole", { name: role });
    const none = await rootKeyWith(["rbac.*.create_permission", "rbac.*.create_role"]);

    await forbidden("permissions.getPermission", { permission: slug }, none, "rbac.*.read_permission");
    await forbidden("permissions.listPermissions", {}, none, "rbac.*.read_permission");
    await forbidden("permissions.deletePermission", { permission: slug }, none, "rbac.*.delete_permission");
    await forbidden("permissions.getRole", { role }, none, "rbac.*.read_role");
    await forbidden("permissions.listRoles", {}, none, "rbac.*.read_role");
    await forbidden("permissions.deleteRole", { role }, none, "rbac.*.delete_role");
    expect(await permissionSlugged(slug)).not.toBeNull();
    expect(await roleNamed(role)).not.toBeNull();
  });

  it("answers 404 for another workspace's permissions and roles, and never links them", async () => {
    const slug = uniqueName("ours");
    const permissionId = (await post("/v2/permissions.createPermission", { name: slug, slug })).body.data.permissionId;
    const role = uniqueName("ours.role");
    const roleId = (await post("/v2/permissions.createRole", { name: role, permissions: [slug] })).body.data.roleId;
    const theirs = await otherWorkspaceRootKey();

    for (const permission of [permissionId, slug]) {
      expect((await post("/v2/permissions.getPermission", { permission }, { rootKey: theirs })).status).toBe(404);
      expect((await post("/v2/permissions.deletePermission", { permission }, { rootKey: theirs })).status).toBe(404);
    }
    for (const ref of [roleId, role]) {
      expect((await post("/v2/permissions.getRole", { role: ref }, { rootKey: theirs })).status).toBe(404);
      expect((await post("/v2/permissions.setRolePermissions", { roleId: ref, permissions: [] }, { rootKey: theirs })).status).toBe(404);
      expect((await post("/v2/permissions.deleteRole", { role: ref }, { rootKey: theirs })).status).toBe(404);
    }
    expect((await post("/v2/permissions.listPermissions", {}, { rootKey: theirs })).body.data).toEqual([]);
    expect((await post("/v2/permissions.listRoles", {}, { rootKey: theirs })).body.data).toEqual([]);
    expect(await slugsOfRole(roleId)).toEqual([slug]);

    // Their role given our slug, or our permission's id, gets a permission of their own, or none.
    const theirRole = await post("/v2/permissions.createRole", { name: role, permissions: [slug] }, { rootKey: theirs });
    expect(theirRole.status).toBe(200);
    const linked = await env.DB.prepare(
      "SELECT p.id, p.workspace_id FROM roles_permissions rp JOIN permissions p ON p.id = rp.permission_id WHERE rp.role_id = ?",
    )
      .bind(theirRole.body.data.roleId)
      .all<{ id: string; workspace_id: string }>();
    expect(linked.results).toHaveLength(1);
    expect(linked.results[0]!.id).not.toBe(permissionId);
    expect(linked.results[0]!.workspace_id).not.toBe("ws_default");
    const byId = await post("/v2/permissions.setRolePermissions", { roleId: theirRole.body.data.roleId, permissions: [permissionId] }, { rootKey: theirs });
    expect(byId.status).toBe(200);
    expect(byId.body.data.map((p: { id: string }) => p.id)).not.toContain(permissionId);
  });
});
