import { env } from "cloudflare:test";
import {
  V2PermissionsCreatePermissionResponseBody$inboundSchema,
  V2PermissionsCreateRoleResponseBody$inboundSchema,
  V2PermissionsDeletePermissionResponseBody$inboundSchema,
  V2PermissionsDeleteRoleResponseBody$inboundSchema,
  V2PermissionsGetPermissionResponseBody$inboundSchema,
  V2PermissionsGetRoleResponseBody$inboundSchema,
  V2PermissionsListPermissionsResponseBody$inboundSchema,
  V2PermissionsListRolesResponseBody$inboundSchema,
  V2PermissionsSetRolePermissionsResponseBody$inboundSchema,
} from "@unkey/api-v2/models/components";
import { describe, expect, it } from "vitest";
import { apiWithKey, get, post, verify } from "../helpers/harness";
import { auditEventsOf, otherWorkspaceRootKey, uniqueName } from "../helpers/rootKeys";
import { v2 } from "../helpers/unkeyV2Sdk";

async function createPermission(body: Record<string, unknown>, rootKey?: string): Promise<string> {
  return (await v2("permissions.createPermission", body, V2PermissionsCreatePermissionResponseBody$inboundSchema, rootKey)).data.permissionId;
}

async function createRole(body: Record<string, unknown>, rootKey?: string): Promise<string> {
  return (await v2("permissions.createRole", body, V2PermissionsCreateRoleResponseBody$inboundSchema, rootKey)).data.roleId;
}

const getRole = async (role: string) => (await v2("permissions.getRole", { role }, V2PermissionsGetRoleResponseBody$inboundSchema)).data;

const needs = (key: string, permission: string) => verify(key, { authorization: { permissions: permission } });

describe("v2 permissions happy paths", () => {
  it("creates a permission and reads it back by id and by slug", async () => {
    const slug = uniqueName("users.read");
    const permissionId = await createPermission({ name: `Read users ${slug}`, slug, description: "Read-only access to users." });
    expect(permissionId).toMatch(/^perm_/);
    const expected = { id: permissionId, name: `Read users ${slug}`, slug, description: "Read-only access to users." };
    for (const permission of [permissionId, slug]) {
      const res = await v2("permissions.getPermission", { permission }, V2PermissionsGetPermissionResponseBody$inboundSchema);
      expect(res.data).toEqual(expected);
    }
    expect(await auditEventsOf(permissionId)).toEqual(["permission.create"]);
  });

  it("leaves out an empty description", async () => {
    const slug = uniqueName("plain");
    const permissionId = await createPermission({ name: slug, slug, description: "" });
    const res = await v2("permissions.getPermission", { permission: permissionId }, V2PermissionsGetPermissionResponseBody$inboundSchema);
    expect(res.data).toEqual({ id: permissionId, name: slug, slug });
  });

  it("lists permissions a page at a time, and searches id, name, slug and description ignoring case", async () => {
    const rootKey = await otherWorkspaceRootKey();
    const ids = [
      await createPermission({ name: "Documents read", slug: "documents.read" }, rootKey),
      await createPermission({ name: "Documents write", slug: "documents.write", description: "Edit 100% of them" }, rootKey),
      await createPermission({ name: "Billing", slug: "billing_admin" }, rootKey),
    ];
    const first = await v2("permissions.listPermissions", { limit: 2 }, V2PermissionsListPermissionsResponseBody$inboundSchema, rootKey);
    expect(first.data).toHaveLength(2);
    expect(first.pagination).toEqual({ cursor: expect.any(String), hasMore: true });
    const second = await v2(
      "permissions.listPermissions",
      { limit: 2, cursor: first.pagination.cursor },
      V2PermissionsListPermissionsResponseBody$inboundSchema,
      rootKey,
    );
    expect(second.pagination).toEqual({ hasMore: false });
    expect([...first.data, ...second.data].map((p: { id: string }) => p.id)).toEqual([...ids].sort());

    const search = async (text: string) =>
      (await v2("permissions.listPermissions", { search: text }, V2PermissionsListPermissionsResponseBody$inboundSchema, rootKey)).data.map(
        (p: { slug: string }) => p.slug,
      );
    expect((await search("DOCUMENTS")).sort()).toEqual(["documents.read", "documents.write"]);
    expect(await search("100%")).toEqual(["documents.write"]);
    // `%` and `_` match only themselves.
    expect(await search("%")).toEqual(["documents.write"]);
    expect(await search("0_ of")).toEqual([]);
    expect(await search("g_a")).toEqual(["billing_admin"]);
    expect(await search(ids[0]!)).toEqual(["documents.read"]);
  });

  it("deletes a permission by slug; keys holding it lose it on their very next verify", async () => {
    const slug = uniqueName("doomed");
    const permissionId = await createPermission({ name: slug, slug });
    const { key } = await apiWithKey({ permissions: [slug] });
    expect((await needs(key, slug)).code).toBe("VALID");

    const res = await v2("permissions.deletePermission", { permission: slug }, V2PermissionsDeletePermissionResponseBody$inboundSchema);
    expect(res.data).toEqual({});
    expect((await needs(key, slug)).code).toBe("INSUFFICIENT_PERMISSIONS");
    expect((await post("/v2/permissions.getPermission", { permission: permissionId })).status).toBe(404);
    expect(await auditEventsOf(permissionId)).toEqual(["permission.create", "permission.delete"]);
  });

  it("creates a role with permissions by slug, reusing existing ones and creating the missing", async () => {
    const existingSlug = uniqueName("existing");
    const existingId = await createPermission({ name: `Existing ${existingSlug}`, slug: existingSlug, description: "was here" });
    const freshSlug = uniqueName("fresh");
    const name = uniqueName("editor");
    const roleId = await createRole({ name, description: "Edits things", permissions: [existingSlug, freshSlug, freshSlug] });
    expect(roleId).toMatch(/^role_/);

    const fresh = await env.DB.prepare("SELECT id FROM permissions WHERE slug = ? AND workspace_id = 'ws_default'").bind(freshSlug).first<{ id: string }>();
    const expected = {
      id: roleId,
      name,
      description: "Edits things",
      permissions: [
        { id: existingId, name: `Existing ${existingSlug}`, slug: existingSlug, description: "was here" },
        { id: fresh!.id, name: freshSlug, slug: freshSlug },
      ],
    };
    expect(await getRole(roleId)).toEqual(expected);
    expect(await getRole(name)).toEqual(expected);
    expect(await auditEventsOf(fresh!.id)).toEqual(["permission.create", "role.create"]);
  });

  it("lists roles with their permissions, a page at a time, and searches them", async () => {
    const rootKey = await otherWorkspaceRootKey();
    const admin = await createRole({ name: "admin", description: "Everything", permissions: ["all.read", "all.write"] }, rootKey);
    const viewer = await createRole({ name: "viewer", permissions: ["all.read"] }, rootKey);
    const empty = await createRole({ name: "nobody" }, rootKey);

    const first = await v2("permissions.listRoles", { limit: 2 }, V2PermissionsListRolesResponseBody$inboundSchema, rootKey);
    expect(first.pagination).toEqual({ cursor: expect.any(String), hasMore: true });
    const second = await v2("permissions.listRoles", { limit: 2, cursor: first.pagination.cursor }, V2PermissionsListRolesResponseBody$inboundSchema, rootKey);
    expect(second.pagination).toEqual({ hasMore: false });
    const roles = [...first.data, ...second.data];
    expect(roles.map((role: { id: string }) => role.id)).toEqual([admin, viewer, empty].sort());
    const byId = new Map(roles.map((role: { id: string }) => [role.id, role]));
    expect(byId.get(admin)).toEqual({
      id: admin,
      name: "admin",
      description: "Everything",
      permissions: [expect.objectContaining({ slug: "all.read" }), expect.objectContaining({ slug: "all.write" })],
    });
    expect(byId.get(viewer)).toEqual({ id: viewer, name: "viewer", permissions: [expect.objectContaining({ slug: "all.read" })] });
    expect(byId.get(empty)).toEqual({ id: empty, name: "nobody", permissions: [] });

    const found = await v2("permissions.listRoles", { search: "EVERY" }, V2PermissionsListRolesResponseBody$inboundSchema, rootKey);
    expect(found.data.map((role: { id: string }) => role.id)).toEqual([admin]);
  });

  it("replaces a role's permissions; its keys see the change on their very next verify", async () => {
    const [kept, dropped, added] = [uniqueName("kept"), uniqueName("dropped"), uniqueName("added")];
    const name = uniqueName("shifting");
    const roleId = await createRole({ name, permissions: [kept, dropped] });
    const { key } = await apiWithKey({ roles: [name] });
    expect((await needs(key, dropped)).code).toBe("VALID");

    const res = await v2(
      "permissions.setRolePermissions",
      { roleId: name, permissions: [kept, added] },
      V2PermissionsSetRolePermissionsResponseBody$inboundSchema,
    );
    expect(res.data.map((p: { slug: string }) => p.slug)).toEqual([added, kept].sort());
    expect((await needs(key, dropped)).code).toBe("INSUFFICIENT_PERMISSIONS");
    expect((await needs(key, added)).code).toBe("VALID");
    expect((await getRole(roleId)).permissions.map((p: { slug: string }) => p.slug)).toEqual([added, kept].sort());

    const cleared = await v2("permissions.setRolePermissions", { roleId, permissions: [] }, V2PermissionsSetRolePermissionsResponseBody$inboundSchema);
    expect(cleared.data).toEqual([]);
    expect((await needs(key, kept)).code).toBe("INSUFFICIENT_PERMISSIONS");
    expect(await auditEventsOf(roleId)).toEqual(["role.create", "role.permissions.update", "role.permissions.update"]);
  });

  it("takes more permissions at once than D1 binds to one statement", async () => {
    const slugs = Array.from({ length: 150 }, (_, i) => uniqueName(`bulk.${i}`));
    const existing = await createPermission({ name: `Existing ${slugs[0]}`, slug: slugs[0]! });
    const roleId = await createRole({ name: uniqueName("bulk"), permissions: slugs });
    const created = (await getRole(roleId)).permissions;
    expect(created).toHaveLength(150);
    expect(created.find((p: { slug: string }) => p.slug === slugs[0])?.id).toBe(existing);

    const replaced = [...slugs.slice(75), ...slugs.slice(0, 75).map((slug) => `${slug}.new`)];
    const res = await v2("permissions.setRolePermissions", { roleId, permissions: replaced }, V2PermissionsSetRolePermissionsResponseBody$inboundSchema);
    expect(res.data.map((p: { slug: string }) => p.slug).sort()).toEqual([...replaced].sort());
  });

  it("deletes a role by name; its keys lose its permissions on their very next verify", async () => {
    const permission = uniqueName("via.role");
    const name = uniqueName("retired");
    const roleId = await createRole({ name, permissions: [permission] });
    const { key } = await apiWithKey({ roles: [name] });
    expect((await needs(key, permission)).code).toBe("VALID");

    const res = await v2("permissions.deleteRole", { role: name }, V2PermissionsDeleteRoleResponseBody$inboundSchema);
    expect(res.data).toEqual({});
    expect((await needs(key, permission)).code).toBe("INSUFFICIENT_PERMISSIONS");
    expect((await post("/v2/permissions.getRole", { role: roleId })).status).toBe(404);
    expect(await auditEventsOf(roleId)).toEqual(["role.create", "role.delete"]);
  });

  it("shares one store with v1, both ways", async () => {
    const v1Permission = uniqueName("v1.perm");
    const v1PermissionId = (await post("/v1/permissions.createPermission", { name: v1Permission })).body.permissionId;
    // A permission made through v1 has its name as its slug.
    const read = await v2("permissions.getPermission", { permission: v1Permission }, V2PermissionsGetPermissionResponseBody$inboundSchema);
    expect(read.data).toEqual({ id: v1PermissionId, name: v1Permission, slug: v1Permission });

    const name = uniqueName("v2.role");
    const roleId = await createRole({ name, permissions: [v1Permission] });
    expect((await get("/v1/permissions.getRole", { roleId })).body).toEqual({ id: roleId, name, permissions: [v1Permission] });
    expect((await post("/v1/permissions.deletePermission", { permissionId: v1PermissionId })).status).toBe(200);
    expect((await getRole(roleId)).permissions).toEqual([]);

    const v1RoleId = (await post("/v1/permissions.createRole", { name: uniqueName("v1.role") })).body.roleId;
    expect((await post("/v2/permissions.deleteRole", { role: v1RoleId })).status).toBe(200);
    expect((await get("/v1/permissions.getRole", { roleId: v1RoleId })).status).toBe(404);
  });
});
