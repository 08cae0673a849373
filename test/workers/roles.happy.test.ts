import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { apiWithKey, get, post, verify } from "../helpers/harness";
import { auditEventsOf, uniqueName } from "../helpers/rootKeys";

async function createRole(body: Record<string, unknown>): Promise<string> {
  const res = await post("/v1/permissions.createRole", body);
  expect(res.status).toBe(200);
  return res.body.roleId;
}

const needs = (key: string, permission: string) => verify(key, { authorization: { permissions: permission } });

describe("roles happy paths", () => {
  it("creates a role and reads it back", async () => {
    const name = uniqueName("admin");
    const roleId = await createRole({ name, description: "Everything" });
    expect(roleId).toMatch(/^role_/);
    const res = await get("/v1/permissions.getRole", { roleId });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: roleId, name, description: "Everything", permissions: [] });
    expect(await auditEventsOf(roleId)).toEqual(["role.create"]);
  });

  it("links the listed permissions, creating the missing ones with their own audit rows", async () => {
    const existing = uniqueName("existing");
    const fresh = uniqueName("fresh");
    const existingId = (await post("/v1/permissions.createPermission", { name: existing })).body.permissionId;
    const roleId = await createRole({ name: uniqueName("editor"), permissions: [fresh, existing, fresh] });

    expect((await get("/v1/permissions.getRole", { roleId })).body.permissions).toEqual([existing, fresh].sort());
    const created = await env.DB.prepare("SELECT id FROM permissions WHERE name = ? AND workspace_id = 'ws_default'").bind(fresh).first<{ id: string }>();
    expect(created?.id).toMatch(/^perm_/);
    expect(await auditEventsOf(created!.id)).toEqual(["permission.create", "role.create"]);
    expect(await auditEventsOf(existingId)).toEqual(["permission.create", "role.create"]);
  });

  it("lists the workspace's roles by name, without an empty description", async () => {
    const prefix = uniqueName("list");
    const b = await createRole({ name: `${prefix}.b`, description: "" });
    const a = await createRole({ name: `${prefix}.a`, description: "first" });
    const res = await get("/v1/permissions.listRoles", {});
    expect(res.status).toBe(200);
    expect(res.body.filter((r: { name: string }) => r.name.startsWith(prefix))).toEqual([
      { id: a, name: `${prefix}.a`, description: "first" },
      { id: b, name: `${prefix}.b` },
    ]);
  });

  it("deletes a role and its links, keeps its permissions, and lets the name be used again", async () => {
    const name = uniqueName("gone");
    const permission = uniqueName("kept");
    const roleId = await createRole({ name, permissions: [permission] });
    const { keyId } = await apiWithKey({ roles: [name] });

    expect((await post("/v1/permissions.deleteRole", { roleId })).body).toEqual({});
    expect((await get("/v1/permissions.getRole", { roleId })).status).toBe(404);
    expect((await get("/v1/permissions.listRoles", {})).body.some((r: { id: string }) => r.id === roleId)).toBe(false);
    expect((await get("/v1/keys.getKey", { keyId })).body.roles).toEqual([]);
    const links = await env.DB.prepare(
      "SELECT (SELECT COUNT(*) FROM keys_roles WHERE role_id = ?1) + (SELECT COUNT(*) FROM roles_permissions WHERE role_id = ?1) AS n",
    )
      .bind(roleId)
      .first<{ n: number }>();
    expect(links?.n).toBe(0);
    const permissions = (await get("/v1/permissions.listPermissions", {})).body.map((p: { name: string }) => p.name);
    expect(permissions).toContain(permission);
    expect(await auditEventsOf(roleId)).toEqual(["role.create", "role.delete"]);
    expect(await createRole({ name })).not.toBe(roleId);
  });

  it("takes a deleted role's permissions away from its keys on their very next verify", async () => {
    const permission = uniqueName("via.role");
    const roleName = uniqueName("role");
    const roleId = await createRole({ name: roleName, permissions: [permission] });
    const { key } = await apiWithKey({ roles: [roleName] });
    const other = await apiWithKey({ permissions: [permission] });
    expect((await needs(key, permission)).code).toBe("VALID");
    expect((await needs(other.key, permission)).code).toBe("VALID");

    await post("/v1/permissions.deleteRole", { roleId });

    expect((await needs(key, permission)).code).toBe("INSUFFICIENT_PERMISSIONS");
    expect((await needs(other.key, permission)).code).toBe("VALID");
  });
});
