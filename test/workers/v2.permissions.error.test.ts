import { describe, expect, it } from "vitest";
import { post } from "../helpers/harness";
import { uniqueName } from "../helpers/rootKeys";
import { expectV2Error, invalidFields } from "../helpers/unkeyV2Sdk";

/** A 409 in v2's envelope. */
const conflict = async (operation: string, body: unknown, detail: string) =>
  expectV2Error(await post(`/v2/${operation}`, body), 409, { code: "conflict", detail });

describe("v2 permissions errors", () => {
  it("names each invalid field of a new permission or role by its location", async () => {
    expect(await invalidFields("permissions.createPermission", { name: "x" })).toEqual(["body.slug"]);
    expect(await invalidFields("permissions.createPermission", { name: "", slug: "" })).toEqual(["body.name", "body.slug"]);
    expect(await invalidFields("permissions.createPermission", { name: "x", slug: "x", description: 7 })).toEqual(["body.description"]);
    expect(await invalidFields("permissions.createPermission", { name: "x\ny", slug: "x" })).toEqual(["body.name"]);
    expect(await invalidFields("permissions.createRole", {})).toEqual(["body.name"]);
    expect(await invalidFields("permissions.createRole", { name: "r", permissions: "p" })).toEqual(["body.permissions"]);
    expect(await invalidFields("permissions.createRole", { name: "r", permissions: ["ok", ""] })).toEqual(["body.permissions[1]"]);
  });

  it("needs the permission or role to name, and refuses fields v2 does not know", async () => {
    expect(await invalidFields("permissions.getPermission", {})).toEqual(["body.permission"]);
    expect(await invalidFields("permissions.deletePermission", { permissionId: "perm_x" })).toEqual(["body.permission", "body"]);
    expect(await invalidFields("permissions.getRole", { role: "" })).toEqual(["body.role"]);
    expect(await invalidFields("permissions.deleteRole", {})).toEqual(["body.role"]);
    expect(await invalidFields("permissions.setRolePermissions", { roleId: "role_x" })).toEqual(["body.permissions"]);
    expect(await invalidFields("permissions.setRolePermissions", { permissions: [] })).toEqual(["body.roleId"]);
  });

  it("refuses out-of-range pages and over-long searches", async () => {
    expect(await invalidFields("permissions.listPermissions", { limit: 0 })).toEqual(["body.limit"]);
    expect(await invalidFields("permissions.listRoles", { limit: 101 })).toEqual(["body.limit"]);
    expect(await invalidFields("permissions.listRoles", { search: "s".repeat(257) })).toEqual(["body.search"]);
    expect(await invalidFields("permissions.listPermissions", { cursor: 1 })).toEqual(["body.cursor"]);
  });

  it("is a 409 to create a permission whose name or slug is taken, or a role whose name is", async () => {
    const slug = uniqueName("taken");
    expect((await post("/v2/permissions.createPermission", { name: `Name ${slug}`, slug })).status).toBe(200);
    await conflict("permissions.createPermission", { name: `Name ${slug}`, slug: uniqueName("other") }, `Name ${slug}`);
    await conflict("permissions.createPermission", { name: uniqueName("other"), slug }, slug);
    const role = uniqueName("role");
    expect((await post("/v2/permissions.createRole", { name: role })).status).toBe(200);
    await conflict("permissions.createRole", { name: role }, role);
  });

  it("answers 404 for a permission or role that does not exist", async () => {
    for (const [operation, body] of [
      ["permissions.getPermission", { permission: "perm_missing" }],
      ["permissions.deletePermission", { permission: "no.such.slug" }],
      ["permissions.getRole", { role: "role_missing" }],
      ["permissions.deleteRole", { role: "no such role" }],
      ["permissions.setRolePermissions", { roleId: "role_missing", permissions: ["a"] }],
    ] as const) {
      const res = await post(`/v2/${operation}`, body);
      expect(res.status, operation).toBe(404);
      expect(res.body.error).toEqual({ title: "Not Found", status: 404, type: "docs/errors.md#not_found", detail: expect.stringContaining("not found") });
    }
  });

  it("creates no permission when setRolePermissions names a role that does not exist", async () => {
    const slug = uniqueName("orphan");
    expect((await post("/v2/permissions.setRolePermissions", { roleId: "role_missing", permissions: [slug] })).status).toBe(404);
    expect((await post("/v2/permissions.getPermission", { permission: slug })).status).toBe(404);
  });
});
