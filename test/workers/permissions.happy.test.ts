import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { apiWithKey, get, post, verify } from "../helpers/harness";
import { auditEventsOf, uniqueName } from "../helpers/rootKeys";

async function createPermission(body: Record<string, unknown>): Promise<string> {
  const res = await post("/v1/permissions.createPermission", body);
  expect(res.status).toBe(200);
  return res.body.permissionId;
}

const needs = (key: string, permission: string) => verify(key, { authorization: { permissions: permission } });

describe("permissions happy paths", () => {
  it("creates a permission and reads it back; the slug defaults to the name", async () => {
    const name = uniqueName("dns.record.read");
    const permissionId = await createPermission({ name, description: "Read DNS records" });
    expect(permissionId).toMatch(/^perm_/);

    const res = await get("/v1/permissions.getPermission", { permissionId });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: permissionId, name, slug: name, description: "Read DNS records" });
  });

  it("keeps a given slug and treats an empty description as none", async () => {
    const name = uniqueName("billing.write");
    const permissionId = await createPermission({ name, slug: `${name}-slug`, description: "" });
    const res = await get("/v1/permissions.getPermission", { permissionId });
    expect(res.body).toEqual({ id: permissionId, name, slug: `${name}-slug` });
  });

  it("lists the workspace's permissions by name", async () => {
    const prefix = uniqueName("list");
    const second = await createPermission({ name: `${prefix}.b` });
    const first = await createPermission({ name: `${prefix}.a` });
    const res = await get("/v1/permissions.listPermissions", {});
    expect(res.status).toBe(200);
    const mine = res.body.filter((p: { name: string }) => p.name.startsWith(prefix));
    expect(mine).toEqual([
      { id: first, name: `${prefix}.a`, slug: `${prefix}.a` },
      { id: second, name: `${prefix}.b`, slug: `${prefix}.b` },
    ]);
  });

  it("deletes a permission, writes audit rows, and lets the name be used again", async () => {
    const name = uniqueName("temp");
    const permissionId = await createPermission({ name });
    expect((await post("/v1/permissions.deletePermission", { permissionId })).body).toEqual({});
    expect((await get("/v1/permissions.getPermission", { permissionId })).status).toBe(404);
    const listed = (await get("/v1/permissions.listPermissions", {})).body;
    expect(listed.some((p: { id: string }) => p.id === permissionId)).toBe(false);
    expect(await auditEventsOf(permissionId)).toEqual(["permission.create", "permission.delete"]);
    expect(await createPermission({ name })).not.toBe(permissionId);
  });

  it("takes a deleted permission away from keys on their very next verify, and removes every link", async () => {
    const name = uniqueName("delete.me");
    const permissionId = await createPermission({ name });
    const roleRes = await post("/v1/permissions.createRole", { name: uniqueName("role"), permissions: [name] });
    const direct = await apiWithKey({ permissions: [name] });
    const viaRole = await apiWithKey();
    await post("/v1/keys.addRoles", { keyId: viaRole.keyId, roles: [{ id: roleRes.body.roleId }] });
    expect((await needs(direct.key, name)).code).toBe("VALID");
    expect((await needs(viaRole.key, name)).code).toBe("VALID");

    expect((await post("/v1/permissions.deletePermission", { permissionId })).status).toBe(200);

    expect((await needs(direct.key, name)).code).toBe("INSUFFICIENT_PERMISSIONS");
    expect((await needs(viaRole.key, name)).code).toBe("INSUFFICIENT_PERMISSIONS");
    expect((await get("/v1/keys.getKey", { keyId: direct.keyId })).body.permissions).toEqual([]);
    expect((await get("/v1/permissions.getRole", { roleId: roleRes.body.roleId })).body.permissions).toEqual([]);
    const links = await env.DB.prepare(
      "SELECT (SELECT COUNT(*) FROM keys_permissions WHERE permission_id = ?1) + (SELECT COUNT(*) FROM roles_permissions WHERE permission_id = ?1) AS n",
    )
      .bind(permissionId)
      .first<{ n: number }>();
    expect(links?.n).toBe(0);
  });
});
