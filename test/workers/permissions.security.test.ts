import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { get, post } from "../helpers/harness";
import { auditEventsOf, otherWorkspaceRootKey, rootKeyWith, uniqueName } from "../helpers/rootKeys";

async function createPermission(name = uniqueName("perm")): Promise<string> {
  return (await post("/v1/permissions.createPermission", { name })).body.permissionId;
}

describe("permissions security", () => {
  it("needs rbac.*.create_permission to create, and writes nothing without it", async () => {
    const rootKey = await rootKeyWith(["rbac.*.read_permission", "rbac.*.create_role", "api.*.create_key"]);
    const name = uniqueName("denied");
    const res = await post("/v1/permissions.createPermission", { name }, { rootKey });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("INSUFFICIENT_PERMISSIONS");
    expect(res.body.error.message).toContain("rbac.*.create_permission");
    expect(await env.DB.prepare("SELECT id FROM permissions WHERE name = ?").bind(name).first()).toBeNull();

    const allowed = await rootKeyWith(["rbac.*.create_permission"]);
    expect((await post("/v1/permissions.createPermission", { name }, { rootKey: allowed })).status).toBe(200);
  });

  it("needs rbac.*.read_permission to get and list", async () => {
    const permissionId = await createPermission();
    const denied = await rootKeyWith(["rbac.*.create_permission", "rbac.*.delete_permission", "rbac.*.read_role"]);
    expect((await get("/v1/permissions.getPermission", { permissionId }, { rootKey: denied })).status).toBe(403);
    expect((await get("/v1/permissions.listPermissions", {}, { rootKey: denied })).status).toBe(403);

    const reader = await rootKeyWith(["rbac.*.read_permission"]);
    expect((await get("/v1/permissions.getPermission", { permissionId }, { rootKey: reader })).status).toBe(200);
    expect((await get("/v1/permissions.listPermissions", {}, { rootKey: reader })).status).toBe(200);
  });

  it("needs rbac.*.delete_permission to delete, and keeps the permission without it", async () => {
    const permissionId = await createPermission();
    const denied = await rootKeyWith(["rbac.*.create_permission", "rbac.*.read_permission", "rbac.*.delete_role"]);
    const res = await post("/v1/permissions.deletePermission", { permissionId }, { rootKey: denied });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain("rbac.*.delete_permission");
    expect((await get("/v1/permissions.getPermission", { permissionId })).status).toBe(200);
    expect(await auditEventsOf(permissionId)).toEqual(["permission.create"]);
  });

  it("answers 403 before revealing whether an id exists", async () => {
    const denied = await rootKeyWith([]);
    expect((await get("/v1/permissions.getPermission", { permissionId: "perm_unknown" }, { rootKey: denied })).status).toBe(403);
  });

  it("accepts wildcard grants", async () => {
    const rootKey = await rootKeyWith(["rbac.*"]);
    expect((await post("/v1/permissions.createPermission", { name: uniqueName("wild") }, { rootKey })).status).toBe(200);
  });

  it("hides another workspace's permissions: 404, absent from lists, and never deleted", async () => {
    const name = uniqueName("mine");
    const permissionId = await createPermission(name);
    const other = await otherWorkspaceRootKey();

    expect((await get("/v1/permissions.getPermission", { permissionId }, { rootKey: other })).status).toBe(404);
    expect((await post("/v1/permissions.deletePermission", { permissionId }, { rootKey: other })).status).toBe(404);
    expect((await get("/v1/permissions.listPermissions", {}, { rootKey: other })).body).toEqual([]);
    expect((await get("/v1/permissions.getPermission", { permissionId })).status).toBe(200);

    // Names are per workspace: the other workspace may use the same one, and sees only its own.
    const theirs = await post("/v1/permissions.createPermission", { name }, { rootKey: other });
    expect(theirs.status).toBe(200);
    expect((await get("/v1/permissions.listPermissions", {}, { rootKey: other })).body).toEqual([{ id: theirs.body.permissionId, name, slug: name }]);
    const ours = (await get("/v1/permissions.listPermissions", {})).body.filter((p: { name: string }) => p.name === name);
    expect(ours).toEqual([{ id: permissionId, name, slug: name }]);
  });
});
