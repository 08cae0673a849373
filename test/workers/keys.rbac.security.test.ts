import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { apiWithKey, createApi, get, post, verify } from "../helpers/harness";
import { auditEventsOf, otherWorkspaceRootKey, rootKeyWith, uniqueName } from "../helpers/rootKeys";

const needs = async (key: string, permission: string) => (await verify(key, { authorization: { permissions: permission } })).code;

/** Each route, the root-key permissions it needs, and a body for it. */
const cases = [
  ["/v1/keys.addPermissions", "permissions", ["rbac.*.add_permission_to_key"]],
  ["/v1/keys.removePermissions", "permissions", ["rbac.*.remove_permission_from_key"]],
  ["/v1/keys.setPermissions", "permissions", ["rbac.*.add_permission_to_key", "rbac.*.remove_permission_from_key"]],
  ["/v1/keys.addRoles", "roles", ["rbac.*.add_role_to_key"]],
  ["/v1/keys.removeRoles", "roles", ["rbac.*.remove_role_from_key"]],
  ["/v1/keys.setRoles", "roles", ["rbac.*.add_role_to_key", "rbac.*.remove_role_from_key"]],
] as const;

async function existing(field: "permissions" | "roles"): Promise<string> {
  const name = uniqueName(field);
  const path = field === "permissions" ? "/v1/permissions.createPermission" : "/v1/permissions.createRole";
  expect((await post(path, { name })).status).toBe(200);
  return name;
}

describe("keys.* permission and role links: root-key permissions", () => {
  it.each(cases)("%s needs %s and its permissions alone suffice", async (path, field, needed) => {
    const name = await existing(field);
    const { keyId } = await apiWithKey();
    for (const missing of needed) {
      const rootKey = await rootKeyWith(needed.filter((p) => p !== missing));
      const res = await post(path, { keyId, [field]: [{ name }] }, { rootKey });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("INSUFFICIENT_PERMISSIONS");
      expect(res.body.error.message).toContain(missing);
    }
    expect(await auditEventsOf(keyId)).toEqual(["key.create"]);
    const rootKey = await rootKeyWith([...needed]);
    expect((await post(path, { keyId, [field]: [{ name }] }, { rootKey })).status).toBe(200);
  });

  it.each(cases.filter(([path]) => !path.includes(".remove")))(
    "%s also needs the create permission for entries marked create, and writes nothing without it",
    async (path, field, needed) => {
      const held = await existing(field);
      const { key, keyId } = await apiWithKey();
      const fresh = uniqueName("fresh");
      const rootKey = await rootKeyWith([...needed]);
      const res = await post(path, { keyId, [field]: [{ name: held }, { name: fresh, create: true }] }, { rootKey });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(field === "permissions" ? "rbac.*.create_permission" : "rbac.*.create_role");
      expect(await env.DB.prepare(`SELECT id FROM ${field} WHERE name = ?`).bind(fresh).first()).toBeNull();
      expect((await get("/v1/keys.getKey", { keyId })).body[field]).toEqual([]);
      expect((await verify(key)).code).toBe("VALID");
    },
  );

  it("is 403 before revealing whether a key exists", async () => {
    const rootKey = await rootKeyWith(["rbac.*.read_permission"]);
    expect((await post("/v1/keys.addPermissions", { keyId: "key_unknown", permissions: [{ name: "x" }] }, { rootKey })).status).toBe(403);
  });
});

describe("keys.* permission and role links: workspaces", () => {
  it.each(cases)("%s is 404 for another workspace's key, which keeps verifying as before", async (path, field) => {
    const permission = uniqueName("theirs");
    const { key, keyId } = await apiWithKey({ permissions: [permission] });
    expect(await needs(key, permission)).toBe("VALID");
    const other = await otherWorkspaceRootKey();
    const refs = [{ name: uniqueName("x"), create: path.includes(".remove") ? undefined : true }];
    const res = await post(path, { keyId, [field]: refs }, { rootKey: other });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("NOT_FOUND");
    expect(await needs(key, permission)).toBe("VALID");
    expect(await auditEventsOf(keyId)).toEqual(["key.create"]);
  });

  it("is 404 for another workspace's permission or role given by id", async () => {
    const other = await otherWorkspaceRootKey();
    const permissionName = uniqueName("foreign");
    const foreignPermission = (await post("/v1/permissions.createPermission", { name: permissionName }, { rootKey: other })).body.permissionId;
    const foreignRole = (await post("/v1/permissions.createRole", { name: uniqueName("foreign"), permissions: [permissionName] }, { rootKey: other })).body
      .roleId;
    const { key, keyId } = await apiWithKey();

    expect((await post("/v1/keys.addPermissions", { keyId, permissions: [{ id: foreignPermission }] })).status).toBe(404);
    expect((await post("/v1/keys.setRoles", { keyId, roles: [{ id: foreignRole }] })).status).toBe(404);
    expect(await needs(key, permissionName)).toBe("INSUFFICIENT_PERMISSIONS");

    // By name, the same name resolves to (or creates) this workspace's own permission.
    const added = await post("/v1/keys.addPermissions", { keyId, permissions: [{ name: permissionName, create: true }] });
    expect(added.status).toBe(200);
    expect(added.body[0].id).not.toBe(foreignPermission);
  });
});

/** A permission or role that exists, and the permission a verify then asks for to see it. */
async function grantable(field: "permissions" | "roles"): Promise<{ name: string; permission: string }> {
  const permission = await existing("permissions");
  if (field === "permissions") return { name: permission, permission };
  const name = uniqueName("role");
  expect((await post("/v1/permissions.createRole", { name, permissions: [permission] })).status).toBe(200);
  return { name, permission };
}

const addRight = { permissions: "rbac.*.add_permission_to_key", roles: "rbac.*.add_role_to_key" } as const;
const removeRight = { permissions: "rbac.*.remove_permission_from_key", roles: "rbac.*.remove_role_from_key" } as const;
const liveKeysOf = async (apiId: string) => (await env.DB.prepare("SELECT COUNT(*) AS n FROM keys WHERE api_id = ?").bind(apiId).first<{ n: number }>())!.n;

describe("permissions and roles given on other routes need the same root-key permissions", () => {
  it.each(["permissions", "roles"] as const)("keys.createKey with %s needs the add right, and creates no key without it", async (field) => {
    const { name, permission } = await grantable(field);
    const apiId = await createApi();
    const body = { apiId, [field]: [name] };
    const denied = await post("/v1/keys.createKey", body, { rootKey: await rootKeyWith([`api.${apiId}.create_key`]) });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("INSUFFICIENT_PERMISSIONS");
    expect(denied.body.error.message).toContain(addRight[field]);
    expect(await liveKeysOf(apiId)).toBe(0);

    const allowed = await post("/v1/keys.createKey", body, { rootKey: await rootKeyWith([`api.${apiId}.create_key`, addRight[field]]) });
    expect(allowed.status).toBe(200);
    expect(await needs(allowed.body.key, permission)).toBe("VALID");
  });

  it("keys.createKey with empty lists gives nothing and needs only create_key", async () => {
    const apiId = await createApi();
    const rootKey = await rootKeyWith([`api.${apiId}.create_key`]);
    expect((await post("/v1/keys.createKey", { apiId, permissions: [], roles: [] }, { rootKey })).status).toBe(200);
  });

  it.each([
    ["permissions", false],
    ["permissions", true],
    ["roles", false],
    ["roles", true],
  ] as const)(
    "keys.updateKey with %s (emptied: %s) replaces them, so it needs what keys.set* needs, and changes nothing without it",
    async (field, emptied) => {
      const held = await grantable(field);
      const offered = await grantable(field);
      const { key, keyId } = await apiWithKey({ [field]: [held.name] });
      const body = { keyId, name: "renamed", [field]: emptied ? [] : [{ name: offered.name }] };
      const needed = ["api.*.update_key", addRight[field], removeRight[field]];
      for (const missing of needed) {
        const res = await post("/v1/keys.updateKey", body, { rootKey: await rootKeyWith(needed.filter((p) => p !== missing)) });
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe("INSUFFICIENT_PERMISSIONS");
        expect(res.body.error.message).toContain(missing);
      }
      expect(await auditEventsOf(keyId)).toEqual(["key.create"]);
      expect((await get("/v1/keys.getKey", { keyId })).body.name).toBeUndefined();
      expect(await needs(key, held.permission)).toBe("VALID");
      expect(await needs(key, offered.permission)).toBe("INSUFFICIENT_PERMISSIONS");

      expect((await post("/v1/keys.updateKey", body, { rootKey: await rootKeyWith(needed) })).status).toBe(200);
      expect(await needs(key, held.permission)).toBe("INSUFFICIENT_PERMISSIONS");
      expect(await needs(key, offered.permission)).toBe(emptied ? "INSUFFICIENT_PERMISSIONS" : "VALID");
    },
  );

  it.each(["permissions", "roles"] as const)(
    "migrations.createKeys and enqueueKeys with %s need the add right, and import nothing without it",
    async (field) => {
      const { name, permission } = await grantable(field);
      const apiId = await createApi();
      const scoped = [`api.${apiId}.create_key`];
      const imported = () => ({ plaintext: `sk_${crypto.randomUUID()}`, [field]: [name] });
      const created = [
        { apiId, ...imported() },
        { apiId, plaintext: `sk_${crypto.randomUUID()}` },
      ];
      const enqueued = { migrationId: "m", apiId, keys: [imported()] };

      for (const [path, body] of [
        ["/v1/migrations.createKeys", created],
        ["/v1/migrations.enqueueKeys", enqueued],
      ] as const) {
        const denied = await post(path, body, { rootKey: await rootKeyWith(scoped) });
        expect(denied.status).toBe(403);
        expect(denied.body.error.code).toBe("INSUFFICIENT_PERMISSIONS");
        expect(denied.body.error.message).toContain(addRight[field]);
      }
      expect(await liveKeysOf(apiId)).toBe(0);

      const rootKey = await rootKeyWith([...scoped, addRight[field]]);
      expect((await post("/v1/migrations.createKeys", created, { rootKey })).status).toBe(200);
      expect((await post("/v1/migrations.enqueueKeys", enqueued, { rootKey })).status).toBe(202);
      expect(await needs(created[0]!.plaintext, permission)).toBe("VALID");
      expect(await needs(enqueued.keys[0]!.plaintext, permission)).toBe("VALID");
    },
  );

  it("keys.rerollKey hands on only what the old key holds, so create_key suffices", async () => {
    const { name, permission } = await grantable("roles");
    const { apiId, keyId } = await apiWithKey({ roles: [name] });
    const rerolled = await post("/v1/keys.rerollKey", { keyId }, { rootKey: await rootKeyWith([`api.${apiId}.create_key`]) });
    expect(rerolled.status).toBe(200);
    expect(await needs(rerolled.body.key, permission)).toBe("VALID");
  });
});
