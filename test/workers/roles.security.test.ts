import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { get, post } from "../helpers/harness";
import { otherWorkspaceRootKey, rootKeyWith, uniqueName } from "../helpers/rootKeys";

const roleNamed = (name: string) => env.DB.prepare("SELECT id FROM roles WHERE name = ?").bind(name).first();
const permissionNamed = (name: string) => env.DB.prepare("SELECT id FROM permissions WHERE name = ?").bind(name).first();

describe("roles security", () => {
  it("needs rbac.*.create_role to create, and writes nothing without it", async () => {
    const rootKey = await rootKeyWith(["rbac.*.create_permission", "rbac.*.read_role"]);
    const name = uniqueName("denied");
    const permission = uniqueName("denied.perm");
    const res = await post("/v1/permissions.createRole", { name, permissions: [permission] }, { rootKey });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("INSUFFICIENT_PERMISSIONS");
    expect(res.body.error.message).toContain("rbac.*.create_role");
    expect(await roleNamed(name)).toBeNull();
    expect(await permissionNamed(permission)).toBeNull();
  });

  it("needs rbac.*.create_permission only for permissions that do not exist yet", async () => {
    const existing = uniqueName("existing");
    await post("/v1/permissions.createPermission", { name: existing });
    const rootKey = await rootKeyWith(["rbac.*.create_role"]);

    const withExisting = await post("/v1/permissions.createRole", { name: uniqueName("ok"), permissions: [existing] }, { rootKey });
    expect(withExisting.status).toBe(200);

    const name = uniqueName("needs.create");
    const missing = uniqueName("missing");
    const res = await post("/v1/permissions.createRole", { name, permissions: [existing, missing] }, { rootKey });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain("rbac.*.create_permission");
    expect(await roleNamed(name)).toBeNull();
    expect(await permissionNamed(missing)).toBeNull();
  });

  it("needs rbac.*.read_role to get and list, and rbac.*.delete_role to delete", async () => {
    const { roleId } = (await post("/v1/permissions.createRole", { name: uniqueName("guarded") })).body;
    const none = await rootKeyWith(["rbac.*.read_permission", "rbac.*.delete_permission", "rbac.*.create_role"]);
    expect((await get("/v1/permissions.getRole", { roleId }, { rootKey: none })).status).toBe(403);
    expect((await get("/v1/permissions.listRoles", {}, { rootKey: none })).status).toBe(403);
    const denied = await post("/v1/permissions.deleteRole", { roleId }, { rootKey: none });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain("rbac.*.delete_role");
    expect((await get("/v1/permissions.getRole", { roleId })).status).toBe(200);

    const reader = await rootKeyWith(["rbac.*.read_role"]);
    expect((await get("/v1/permissions.getRole", { roleId }, { rootKey: reader })).status).toBe(200);
    expect((await get("/v1/permissions.listRoles", {}, { rootKey: reader })).status).toBe(200);
    const deleter = await rootKeyWith(["rbac.*.delete_role"]);
    expect((await post("/v1/permissions.deleteRole", { roleId }, { rootKey: deleter })).status).toBe(200);
  });

  it("hides another workspace's roles and never links its permissions", async () => {
    const permission = uniqueName("shared.name");
    const name = uniqueName("ours");
    const { roleId } = (await post("/v1/permissions.createRole", { name, permissions: [permission] })).body;
    const other = await otherWorkspaceRootKey();

    expect((await get("/v1/permissions.getRole", { roleId }, { rootKey: other })).status).toBe(404);
    expect((await post("/v1/permissions.deleteRole", { roleId }, { rootKey: other })).status).toBe(404);
    expect((await get("/v1/permissions.listRoles", {}, { rootKey: other })).body).toEqual([]);
    expect((await get("/v1/permissions.getRole", { roleId })).status).toBe(200);

    // The same names in the other workspace make its own role and permission.
    const theirs = await post("/v1/permissions.createRole", { name, permissions: [permission] }, { rootKey: other });
    expect(theirs.status).toBe(200);
    const rows = await env.DB.prepare("SELECT p.workspace_id FROM roles_permissions rp JOIN permissions p ON p.id = rp.permission_id WHERE rp.role_id = ?")
      .bind(theirs.body.roleId)
      .all<{ workspace_id: string }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]!.workspace_id).not.toBe("ws_default");
    expect((await get("/v1/permissions.listPermissions", {}, { rootKey: other })).body.map((p: { name: string }) => p.name)).toEqual([permission]);
  });
});
