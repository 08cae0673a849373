import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { hashKey } from "../../src/crypto/keys";
import { apiWithKey, createApi, get, post, verify } from "../helpers/harness";
import { auditEventsOf, otherWorkspaceRootKey, rootKeyWith, uniqueName } from "../helpers/rootKeys";
import { expectV2Error } from "../helpers/unkeyV2Sdk";

interface Setup {
  apiId: string;
  keyId: string;
  key: string;
  permission: string;
  role: string;
  /** A hash no key has, and its plaintext. */
  legacy: { plaintext: string; hash: string };
}

/** A key holding an existing permission and role, in a fresh api of the default workspace. */
async function setup(): Promise<Setup> {
  const [permission, role] = [uniqueName("perm"), uniqueName("role")];
  expect((await post("/v1/permissions.createPermission", { name: permission })).status).toBe(200);
  expect((await post("/v1/permissions.createRole", { name: role })).status).toBe(200);
  const { apiId, keyId, key } = await apiWithKey({ permissions: [permission], roles: [role], remaining: 5 });
  const plaintext = `legacy_${crypto.randomUUID()}`;
  return { apiId, keyId, key, permission, role, legacy: { plaintext, hash: hashKey(plaintext) } };
}

const addPermission = "rbac.*.add_permission_to_key";
const removePermission = "rbac.*.remove_permission_from_key";
const addRole = "rbac.*.add_role_to_key";
const removeRole = "rbac.*.remove_role_from_key";

/** Each operation, the root-key permissions it needs (all of them), and a body that needs no more. */
const cases: [string, string[], (s: Setup) => Record<string, unknown>][] = [
  ["keys.createKey", ["api.*.create_key"], (s) => ({ apiId: s.apiId, name: "new" })],
  ["keys.getKey", ["api.*.read_key"], (s) => ({ keyId: s.keyId })],
  ["keys.whoami", ["api.*.read_key"], (s) => ({ key: s.key })],
  ["keys.updateKey", ["api.*.update_key"], (s) => ({ keyId: s.keyId, name: "changed", credits: { remaining: 1 } })],
  ["keys.updateCredits", ["api.*.update_key"], (s) => ({ keyId: s.keyId, operation: "set", value: 1 })],
  ["keys.deleteKey", ["api.*.delete_key"], (s) => ({ keyId: s.keyId })],
  ["keys.rerollKey", ["api.*.create_key"], (s) => ({ keyId: s.keyId, expiration: 0 })],
  ["keys.revokeKey", ["api.*.update_key"], (s) => ({ keyId: s.keyId })],
  ["keys.addPermissions", [addPermission], (s) => ({ keyId: s.keyId, permissions: [s.permission] })],
  ["keys.removePermissions", [removePermission], (s) => ({ keyId: s.keyId, permissions: [s.permission] })],
  ["keys.setPermissions", [addPermission, removePermission], (s) => ({ keyId: s.keyId, permissions: [] })],
  ["keys.addRoles", [addRole], (s) => ({ keyId: s.keyId, roles: [s.role] })],
  ["keys.removeRoles", [removeRole], (s) => ({ keyId: s.keyId, roles: [s.role] })],
  ["keys.setRoles", [addRole, removeRole], (s) => ({ keyId: s.keyId, roles: [] })],
  ["keys.migrateKeys", ["api.*.create_key"], (s) => ({ migrationId: "m", apiId: s.apiId, keys: [{ hash: s.legacy.hash }] })],
];

/** The key, its api and the legacy hash are exactly as setup() left them. */
async function expectUntouched(s: Setup): Promise<void> {
  expect(await auditEventsOf(s.keyId)).toEqual(["key.create"]);
  expect((await get("/v1/apis.listKeys", { apiId: s.apiId })).body.keys.map((k: { id: string }) => k.id)).toEqual([s.keyId]);
  expect(await verify(s.key, { authorization: { permissions: s.permission } })).toMatchObject({ valid: true, remaining: 4 });
  expect((await verify(s.legacy.plaintext)).code).toBe("NOT_FOUND");
}

describe("v2 keys.*: root keys", () => {
  it.each(cases)("%s needs a root key: none, or one not known, is 401", async (operation, _needed, body) => {
    const s = await setup();
    for (const rootKey of [null, "not_a_root_key"]) {
      const res = await post(`/v2/${operation}`, body(s), { rootKey });
      expectV2Error(res, 401);
    }
    expect(await auditEventsOf(s.keyId)).toEqual(["key.create"]);
  });

  it.each(cases)("%s is 403 without each permission it needs, writes nothing, and its permissions alone suffice", async (operation, needed, body) => {
    const s = await setup();
    for (const missing of needed) {
      const rootKey = await rootKeyWith(["api.*.read_api", ...needed.filter((p) => p !== missing)]);
      const res = await post(`/v2/${operation}`, body(s), { rootKey });
      expectV2Error(res, 403);
      expect(res.body.error.detail).toContain(missing);
    }
    await expectUntouched(s);
    const res = await post(`/v2/${operation}`, body(s), { rootKey: await rootKeyWith(needed) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it("accepts a permission scoped to the key's api, and refuses it for another api's key", async () => {
    const s = await setup();
    const rootKey = await rootKeyWith([`api.${s.apiId}.read_key`, `api.${s.apiId}.update_key`]);
    expect((await post("/v2/keys.getKey", { keyId: s.keyId }, { rootKey })).status).toBe(200);
    expect((await post("/v2/keys.updateCredits", { keyId: s.keyId, operation: "increment", value: 1 }, { rootKey })).status).toBe(200);
    const other = await apiWithKey();
    expectV2Error(await post("/v2/keys.getKey", { keyId: other.keyId }, { rootKey }), 403);
    expectV2Error(await post("/v2/keys.whoami", { key: other.key }, { rootKey }), 403);
    expectV2Error(await post("/v2/keys.updateKey", { keyId: other.keyId, name: "x" }, { rootKey }), 403);
    expect(await auditEventsOf(other.keyId)).toEqual(["key.create"]);
  });

  it("needs the rights to grant permissions and roles when a new or changed key names them, and creates nothing without them", async () => {
    const s = await setup();
    const fresh = uniqueName("fresh");
    const creator = await rootKeyWith(["api.*.create_key", addPermission]);
    const created = await post("/v2/keys.createKey", { apiId: s.apiId, permissions: [fresh] }, { rootKey: creator });
    expectV2Error(created, 403);
    expect(created.body.error.detail).toContain("rbac.*.create_permission");
    expectV2Error(await post("/v2/keys.createKey", { apiId: s.apiId, roles: [s.role] }, { rootKey: creator }), 403);

    const updater = await rootKeyWith(["api.*.update_key", addPermission]);
    const updated = await post("/v2/keys.updateKey", { keyId: s.keyId, permissions: [s.permission] }, { rootKey: updater });
    expectV2Error(updated, 403);
    expect(updated.body.error.detail).toContain(removePermission);
    expectV2Error(await post("/v2/keys.addPermissions", { keyId: s.keyId, permissions: [fresh] }, { rootKey: updater }), 403);
    expect(await env.DB.prepare("SELECT id FROM permissions WHERE name = ?").bind(fresh).first()).toBeNull();
    await expectUntouched(s);
  });

  it("refuses keys.migrateKeys before telling whether a hash is taken", async () => {
    const s = await setup();
    const rootKey = await rootKeyWith(["api.*.read_key"]);
    for (const hash of [hashKey(s.key), s.legacy.hash]) {
      const res = await post("/v2/keys.migrateKeys", { migrationId: "m", apiId: s.apiId, keys: [{ hash }] }, { rootKey });
      expectV2Error(res, 403);
      expect(JSON.stringify(res.body)).not.toContain(hash);
    }
  });

  it("never answers a key's plaintext or hash", async () => {
    const s = await setup();
    for (const res of [await post("/v2/keys.getKey", { keyId: s.keyId, decrypt: true }), await post("/v2/keys.whoami", { key: s.key })]) {
      expect(res.status).toBe(200);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(s.key);
      expect(text).not.toContain(hashKey(s.key));
    }
  });
});

describe("v2 keys.*: workspaces", () => {
  it.each(cases.filter(([operation]) => !["keys.createKey", "keys.migrateKeys", "keys.whoami"].includes(operation)))(
    "%s is 404 for another workspace's key, which stays as it was",
    async (operation, _needed, body) => {
      const s = await setup();
      const res = await post(`/v2/${operation}`, body(s), { rootKey: await otherWorkspaceRootKey() });
      expectV2Error(res, 404);
      await expectUntouched(s);
    },
  );

  it("finds no key of another workspace by its plaintext", async () => {
    const s = await setup();
    expectV2Error(await post("/v2/keys.whoami", { key: s.key }, { rootKey: await otherWorkspaceRootKey() }), 404);
  });

  it("creates and migrates no key into another workspace's api", async () => {
    const s = await setup();
    const other = await otherWorkspaceRootKey();
    expectV2Error(await post("/v2/keys.createKey", { apiId: s.apiId }, { rootKey: other }), 404);
    expectV2Error(await post("/v2/keys.migrateKeys", { migrationId: "m", apiId: s.apiId, keys: [{ hash: s.legacy.hash }] }, { rootKey: other }), 404);
    await expectUntouched(s);
  });

  it("keeps another workspace's permission out of reach when removing by id", async () => {
    const s = await setup();
    const other = await otherWorkspaceRootKey();
    const foreign = await post("/v1/permissions.createPermission", { name: uniqueName("foreign") }, { rootKey: other });
    expect(foreign.status).toBe(200);
    expectV2Error(await post("/v2/keys.removePermissions", { keyId: s.keyId, permissions: [foreign.body.permissionId] }), 404);
    await expectUntouched(s);
  });

  it("lists as failed, without importing, a hash another workspace's key has", async () => {
    const other = await otherWorkspaceRootKey();
    const theirApi = (await post("/v1/apis.createApi", { name: "theirs" }, { rootKey: other })).body.apiId;
    const theirs = await post("/v1/keys.createKey", { apiId: theirApi }, { rootKey: other });
    expect(theirs.status).toBe(200);
    const res = await post("/v2/keys.migrateKeys", { migrationId: "m", apiId: await createApi(), keys: [{ hash: hashKey(theirs.body.key) }] });
    expect(res.body.data).toEqual({ migrated: [], failed: [hashKey(theirs.body.key)] });
    expect((await verify(theirs.body.key)).keyId).toBe(theirs.body.keyId);
  });
});
