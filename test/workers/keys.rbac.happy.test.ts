import { describe, expect, it } from "vitest";
import { apiWithKey, get, post, verify } from "../helpers/harness";
import { auditEventsOf, uniqueName } from "../helpers/rootKeys";

const needs = async (key: string, permission: string) => (await verify(key, { authorization: { permissions: permission } })).code;

async function createPermission(name: string): Promise<string> {
  return (await post("/v1/permissions.createPermission", { name })).body.permissionId;
}

async function createRole(permissions: string[]): Promise<{ roleId: string; name: string }> {
  const name = uniqueName("role");
  const res = await post("/v1/permissions.createRole", { name, permissions });
  expect(res.status).toBe(200);
  return { roleId: res.body.roleId, name };
}

describe("keys.* role links change verify on the very next call", () => {
  it("grants a role's permission right after addRoles and takes it right after removeRoles", async () => {
    const permission = uniqueName("dns.record.update");
    const role = await createRole([permission]);
    const { key, keyId } = await apiWithKey();
    expect(await needs(key, permission)).toBe("INSUFFICIENT_PERMISSIONS"); // warms the cached policy

    const added = await post("/v1/keys.addRoles", { keyId, roles: [{ id: role.roleId }] });
    expect(added.status).toBe(200);
    expect(added.body).toEqual([{ id: role.roleId, name: role.name }]);
    expect(await needs(key, permission)).toBe("VALID");
    expect((await verify(key)).roles).toEqual([role.name]);

    expect((await post("/v1/keys.removeRoles", { keyId, roles: [{ name: role.name }] })).body).toEqual({});
    expect(await needs(key, permission)).toBe("INSUFFICIENT_PERMISSIONS");
    expect(await auditEventsOf(keyId)).toEqual(["key.create", "key.roles.update", "key.roles.update"]);
  });

  it("takes a role's permission right after deletePermission", async () => {
    const permission = uniqueName("to.delete");
    const permissionId = await createPermission(permission);
    const role = await createRole([permission]);
    const { key, keyId } = await apiWithKey();
    expect(await needs(key, permission)).toBe("INSUFFICIENT_PERMISSIONS");
    await post("/v1/keys.addRoles", { keyId, roles: [{ name: role.name }] });
    expect(await needs(key, permission)).toBe("VALID");

    expect((await post("/v1/permissions.deletePermission", { permissionId })).status).toBe(200);
    expect(await needs(key, permission)).toBe("INSUFFICIENT_PERMISSIONS");
  });

  it("takes a role's permission right after deleteRole", async () => {
    const permission = uniqueName("role.deleted");
    const role = await createRole([permission]);
    const { key, keyId } = await apiWithKey();
    expect(await needs(key, permission)).toBe("INSUFFICIENT_PERMISSIONS");
    await post("/v1/keys.addRoles", { keyId, roles: [{ id: role.roleId }] });
    expect(await needs(key, permission)).toBe("VALID");

    expect((await post("/v1/permissions.deleteRole", { roleId: role.roleId })).status).toBe(200);
    expect(await needs(key, permission)).toBe("INSUFFICIENT_PERMISSIONS");
  });

  it("creates roles marked create, and replaces all roles with setRoles", async () => {
    const first = await createRole([uniqueName("first")]);
    const permission = uniqueName("second");
    const second = await createRole([permission]);
    const { key, keyId } = await apiWithKey({ roles: [first.name] });
    const fresh = uniqueName("fresh.role");

    const set = await post("/v1/keys.setRoles", { keyId, roles: [{ id: second.roleId }, { name: fresh, create: true }] });
    expect(set.status).toBe(200);
    expect(set.body.map((r: { name: string }) => r.name)).toEqual([second.name, fresh]);
    expect(set.body[1].id).toMatch(/^role_/);
    expect((await get("/v1/keys.getKey", { keyId })).body.roles).toEqual([second.name, fresh].sort());
    expect(await needs(key, permission)).toBe("VALID");
    expect(await auditEventsOf(set.body[1].id)).toEqual(["role.create", "key.roles.update"]);

    expect((await post("/v1/keys.setRoles", { keyId, roles: [] })).body).toEqual([]);
    expect(await needs(key, permission)).toBe("INSUFFICIENT_PERMISSIONS");
    expect((await verify(key)).roles).toEqual([]);
  });
});

describe("keys.* permission links change verify on the very next call", () => {
  it("adds, removes and sets direct permissions", async () => {
    const read = uniqueName("read");
    const write = uniqueName("write");
    const readId = await createPermission(read);
    const { key, keyId } = await apiWithKey();
    expect(await needs(key, read)).toBe("INSUFFICIENT_PERMISSIONS");

    const added = await post("/v1/keys.addPermissions", { keyId, permissions: [{ id: readId }, { name: write, create: true }] });
    expect(added.status).toBe(200);
    expect(added.body).toEqual([
      { id: readId, name: read },
      { id: expect.stringMatching(/^perm_/), name: write },
    ]);
    expect(await needs(key, read)).toBe("VALID");
    expect(await needs(key, write)).toBe("VALID");

    // Adding again changes nothing and still answers them.
    expect((await post("/v1/keys.addPermissions", { keyId, permissions: [{ name: read }] })).body).toEqual([{ id: readId, name: read }]);

    expect((await post("/v1/keys.removePermissions", { keyId, permissions: [{ slug: read }] })).body).toEqual({});
    expect(await needs(key, read)).toBe("INSUFFICIENT_PERMISSIONS");
    expect(await needs(key, write)).toBe("VALID");

    const set = await post("/v1/keys.setPermissions", { keyId, permissions: [{ id: readId }] });
    expect(set.body).toEqual([{ id: readId, name: read }]);
    expect(await needs(key, read)).toBe("VALID");
    expect(await needs(key, write)).toBe("INSUFFICIENT_PERMISSIONS");
    expect((await get("/v1/keys.getKey", { keyId })).body.permissions).toEqual([read]);

    expect(await auditEventsOf(keyId)).toEqual([
      "key.create",
      "key.permissions.update",
      "key.permissions.update",
      "key.permissions.update",
      "key.permissions.update",
    ]);
    expect(await auditEventsOf(added.body[1].id)).toEqual(["permission.create", "key.permissions.update"]);
  });

  it("removes a direct permission but keeps the same one held through a role", async () => {
    const permission = uniqueName("both");
    const role = await createRole([permission]);
    const { key, keyId } = await apiWithKey({ permissions: [permission], roles: [role.name] });
    expect(await needs(key, permission)).toBe("VALID");
    await post("/v1/keys.removePermissions", { keyId, permissions: [{ name: permission }] });
    expect(await needs(key, permission)).toBe("VALID");
    await post("/v1/keys.removeRoles", { keyId, roles: [{ id: role.roleId }] });
    expect(await needs(key, permission)).toBe("INSUFFICIENT_PERMISSIONS");
  });

  it("accepts removing a permission the key does not hold", async () => {
    const permission = uniqueName("not.held");
    await createPermission(permission);
    const { keyId } = await apiWithKey();
    expect((await post("/v1/keys.removePermissions", { keyId, permissions: [{ name: permission }] })).status).toBe(200);
  });
});
