import { env } from "cloudflare:test";
import {
  V2KeysAddPermissionsResponseBody$inboundSchema,
  V2KeysAddRolesResponseBody$inboundSchema,
  V2KeysCreateKeyResponseBody$inboundSchema,
  V2KeysDeleteKeyResponseBody$inboundSchema,
  V2KeysGetKeyResponseBody$inboundSchema,
  V2KeysMigrateKeysResponseBody$inboundSchema,
  V2KeysRemovePermissionsResponseBody$inboundSchema,
  V2KeysRemoveRolesResponseBody$inboundSchema,
  V2KeysRerollKeyResponseBody$inboundSchema,
  V2KeysSetPermissionsResponseBody$inboundSchema,
  V2KeysSetRolesResponseBody$inboundSchema,
  V2KeysUpdateCreditsResponseBody$inboundSchema,
  V2KeysUpdateKeyResponseBody$inboundSchema,
  V2KeysWhoamiResponseBody$inboundSchema,
} from "@unkey/api-v2/models/components";
import { describe, expect, it } from "vitest";
import { hashKey } from "../../src/crypto/keys";
import { apiWithKey, createApi, createKey, get, post, verify } from "../helpers/harness";
import { auditEventsOf, uniqueName } from "../helpers/rootKeys";
import { unkeyV2, v2 } from "../helpers/unkeyV2Sdk";

const requestId = expect.stringMatching(/^req_/);

const getKeyV2 = async (keyId: string) => (await v2("keys.getKey", { keyId }, V2KeysGetKeyResponseBody$inboundSchema)).data;

const hexSha256 = async (plaintext: string) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(plaintext)))].map((b) => b.toString(16).padStart(2, "0")).join("");

describe("v2 keys.createKey and keys.getKey", () => {
  it("issues a key with every v2 field and reads it back in the SDK's shape", async () => {
    const apiId = await createApi();
    const [externalId, permission, role] = [uniqueName("user"), uniqueName("documents.read"), uniqueName("editor")];
    // v2 gives a new key only roles that exist; permissions it creates.
    expect((await post("/v2/permissions.createRole", { name: role })).status).toBe(200);
    const expires = Date.now() + 3_600_000;
    const created = await unkeyV2().keys.createKey({
      apiId,
      prefix: "sk_live",
      name: "Customer X",
      byteLength: 24,
      externalId,
      meta: { plan: "pro" },
      roles: [role],
      permissions: [permission],
      expires,
      credits: { remaining: 100, refill: { interval: "monthly", amount: 100, refillDay: 15 } },
      ratelimits: [
        { name: "requests", limit: 10, duration: 60_000, autoApply: true },
        { name: "heavy", limit: 2, duration: 3_600_000 },
      ],
      enabled: true,
    });
    expect(created).toEqual({ meta: { requestId }, data: { keyId: expect.stringMatching(/^key_/), key: expect.stringMatching(/^sk_live_/) } });
    const { keyId, key } = created.data;

    expect(await getKeyV2(keyId)).toEqual({
      keyId,
      start: key.slice(0, "sk_live_".length + 4),
      enabled: true,
      name: "Customer X",
      meta: { plan: "pro" },
      createdAt: expect.any(Number),
      expires,
      permissions: [permission],
      roles: [role],
      credits: { remaining: 100, refill: { interval: "monthly", amount: 100, refillDay: 15 } },
      identity: { id: expect.stringMatching(/^id_/), externalId, meta: {} },
      ratelimits: [
        { id: expect.stringMatching(/^rl_/), name: "heavy", limit: 2, duration: 3_600_000, autoApply: false },
        { id: expect.stringMatching(/^rl_/), name: "requests", limit: 10, duration: 60_000, autoApply: true },
      ],
      apiId,
    });
    expect(await verify(key, { authorization: { permissions: permission } })).toMatchObject({ valid: true, remaining: 99 });
    expect(await auditEventsOf(keyId)).toEqual(["key.create"]);
  });

  it("takes exactly the defaults the SDK sends, and shows a bare key with only what it has", async () => {
    const apiId = await createApi();
    const { data } = await v2("keys.createKey", { apiId, byteLength: 16, enabled: true, recoverable: false }, V2KeysCreateKeyResponseBody$inboundSchema);
    expect(data.key).toMatch(/^[1-9A-HJ-NP-Za-km-z]{20,23}$/);
    expect(await getKeyV2(data.keyId)).toEqual({
      keyId: data.keyId,
      start: data.key.slice(0, 4),
      enabled: true,
      createdAt: expect.any(Number),
      permissions: [],
      roles: [],
      apiId,
    });
  });

  it("takes Keygate's environment and ipAllowlist, and unlimited credits as remaining null", async () => {
    const apiId = await createApi();
    const body = { apiId, environment: "production", ipAllowlist: ["10.0.0.0/8"], credits: { remaining: null }, enabled: false };
    const { data } = await v2("keys.createKey", body, V2KeysCreateKeyResponseBody$inboundSchema);
    const read = await getKeyV2(data.keyId);
    expect(read).toMatchObject({ enabled: false, environment: "production", ipAllowlist: ["10.0.0.0/8"] });
    expect(read).not.toHaveProperty("credits");
    expect((await verify(data.key)).code).toBe("DISABLED");
  });

  it("answers getKey with decrypt: true like any other read: Keygate has no plaintext to give", async () => {
    const { keyId, key } = await apiWithKey();
    const plain = await getKeyV2(keyId);
    const { data } = await unkeyV2().keys.getKey({ keyId, decrypt: true });
    expect(data).not.toHaveProperty("plaintext");
    expect(data.keyId).toBe(keyId);
    expect(JSON.stringify(await v2("keys.getKey", { keyId, decrypt: true }, V2KeysGetKeyResponseBody$inboundSchema))).not.toContain(key);
    expect(plain).not.toHaveProperty("plaintext");
  });
});

describe("v2 keys.whoami", () => {
  it("finds the key behind a plaintext, as getKey shows it, without spending its credits", async () => {
    const { keyId, key } = await apiWithKey({ name: "found", remaining: 3 });
    const found = await v2("keys.whoami", { key }, V2KeysWhoamiResponseBody$inboundSchema);
    expect(found.data).toEqual(await getKeyV2(keyId));
    expect(found.data.credits).toEqual({ remaining: 3 });
    expect((await unkeyV2().keys.whoami({ key })).data.keyId).toBe(keyId);
  });
});

describe("v2 keys.updateKey", () => {
  it("changes only the fields given, and null clears a field", async () => {
    const externalId = uniqueName("owner");
    const { keyId, key } = await apiWithKey({ name: "before", meta: { a: 1 }, expires: Date.now() + 60_000, externalId });
    const res = await v2("keys.updateKey", { keyId, meta: { b: 2 } }, V2KeysUpdateKeyResponseBody$inboundSchema);
    expect(res).toEqual({ meta: { requestId }, data: {} });
    expect(await getKeyV2(keyId)).toMatchObject({ name: "before", meta: { b: 2 }, expires: expect.any(Number), identity: { externalId } });

    await unkeyV2().keys.updateKey({ keyId, name: null, meta: null, expires: null, externalId: null });
    const cleared = await getKeyV2(keyId);
    for (const field of ["name", "meta", "expires", "identity"]) expect(cleared).not.toHaveProperty(field);
    expect(cleared.updatedAt).toBeGreaterThanOrEqual(cleared.createdAt);
    expect((await verify(key)).valid).toBe(true);
    expect(await auditEventsOf(keyId)).toEqual(["key.create", "key.update", "key.update"]);
  });

  it("sets, keeps and clears credits and their refill", async () => {
    const { keyId } = await apiWithKey();
    const refill = { interval: "daily", amount: 10 };
    await v2("keys.updateKey", { keyId, credits: { remaining: 5, refill } }, V2KeysUpdateKeyResponseBody$inboundSchema);
    expect((await getKeyV2(keyId)).credits).toEqual({ remaining: 5, refill });

    await v2("keys.updateKey", { keyId, credits: { remaining: 8 } }, V2KeysUpdateKeyResponseBody$inboundSchema);
    expect((await getKeyV2(keyId)).credits).toEqual({ remaining: 8, refill });

    await v2("keys.updateKey", { keyId, credits: { refill: null } }, V2KeysUpdateKeyResponseBody$inboundSchema);
    expect((await getKeyV2(keyId)).credits).toEqual({ remaining: 8 });

    await v2("keys.updateKey", { keyId, credits: { remaining: 4, refill } }, V2KeysUpdateKeyResponseBody$inboundSchema);
    // remaining null is unlimited, which ends the refill with it.
    await v2("keys.updateKey", { keyId, credits: { remaining: null } }, V2KeysUpdateKeyResponseBody$inboundSchema);
    expect(await getKeyV2(keyId)).not.toHaveProperty("credits");

    await v2("keys.updateKey", { keyId, credits: { remaining: 4, refill } }, V2KeysUpdateKeyResponseBody$inboundSchema);
    await v2("keys.updateKey", { keyId, credits: null }, V2KeysUpdateKeyResponseBody$inboundSchema);
    expect(await getKeyV2(keyId)).not.toHaveProperty("credits");
  });

  it("replaces all of the key's rate limits, its v1 limit (shown as default) included", async () => {
    const { keyId } = await apiWithKey({ ratelimit: { limit: 5, duration: 60_000 }, ratelimits: [{ name: "old", limit: 1, duration: 1000 }] });
    expect((await getKeyV2(keyId)).ratelimits).toEqual([
      { id: `${keyId}:default`, name: "default", limit: 5, duration: 60_000, autoApply: true },
      { id: expect.stringMatching(/^rl_/), name: "old", limit: 1, duration: 1000, autoApply: false },
    ]);

    await unkeyV2().keys.updateKey({ keyId, ratelimits: [{ name: "burst", limit: 3, duration: 1000, autoApply: true }] });
    expect((await getKeyV2(keyId)).ratelimits).toEqual([{ id: expect.stringMatching(/^rl_/), name: "burst", limit: 3, duration: 1000, autoApply: true }]);
    expect((await get("/v1/keys.getKey", { keyId })).body).not.toHaveProperty("ratelimit");

    // A "default" given here is stored as a named limit like any other.
    await v2(
      "keys.updateKey",
      { keyId, ratelimits: [{ name: "default", limit: 7, duration: 2000, autoApply: true }] },
      V2KeysUpdateKeyResponseBody$inboundSchema,
    );
    expect((await getKeyV2(keyId)).ratelimits).toEqual([{ id: expect.stringMatching(/^rl_/), name: "default", limit: 7, duration: 2000, autoApply: true }]);

    await v2("keys.updateKey", { keyId, ratelimits: null }, V2KeysUpdateKeyResponseBody$inboundSchema);
    expect(await getKeyV2(keyId)).not.toHaveProperty("ratelimits");
  });

  it("replaces roles and permissions, and disables the key", async () => {
    const [role, permission] = [uniqueName("role"), uniqueName("perm")];
    expect((await post("/v1/permissions.createRole", { name: role })).status).toBe(200);
    const { keyId, key } = await apiWithKey({ roles: [uniqueName("oldRole")], permissions: [uniqueName("oldPerm")] });
    await v2("keys.updateKey", { keyId, roles: [role], permissions: [permission], enabled: false }, V2KeysUpdateKeyResponseBody$inboundSchema);
    expect(await getKeyV2(keyId)).toMatchObject({ roles: [role], permissions: [permission], enabled: false });
    expect((await verify(key)).code).toBe("DISABLED");

    await v2("keys.updateKey", { keyId, roles: [], permissions: [], enabled: true }, V2KeysUpdateKeyResponseBody$inboundSchema);
    expect(await getKeyV2(keyId)).toMatchObject({ roles: [], permissions: [], enabled: true });
    expect((await verify(key)).code).toBe("VALID");
  });
});

describe("v2 keys.updateCredits", () => {
  it("sets, increments and decrements credits, answering them with the key's refill", async () => {
    const { keyId, key } = await apiWithKey({ remaining: 10, refill: { interval: "monthly", amount: 10 } });
    const change = (operation: string, value?: number | null) =>
      v2("keys.updateCredits", { keyId, operation, ...(value === undefined ? {} : { value }) }, V2KeysUpdateCreditsResponseBody$inboundSchema);
    const refill = { interval: "monthly", amount: 10, refillDay: 1 };
    expect(await change("increment", 5)).toEqual({ meta: { requestId }, data: { remaining: 15, refill } });
    expect((await change("decrement", 20)).data).toEqual({ remaining: 0, refill });
    expect((await change("set", 3)).data).toEqual({ remaining: 3, refill });
    expect(await verify(key)).toMatchObject({ valid: true, remaining: 2 });
  });

  it("makes a key unlimited with set and value null or none", async () => {
    const { keyId, key } = await apiWithKey({ remaining: 1 });
    expect((await unkeyV2().keys.updateCredits({ keyId, operation: "set", value: null })).data).toEqual({ remaining: null });
    await verify(key);
    expect((await verify(key)).valid).toBe(true);
    await v2("keys.updateCredits", { keyId, operation: "set", value: 2 }, V2KeysUpdateCreditsResponseBody$inboundSchema);
    expect((await v2("keys.updateCredits", { keyId, operation: "set" }, V2KeysUpdateCreditsResponseBody$inboundSchema)).data).toEqual({ remaining: null });
    expect(await getKeyV2(keyId)).not.toHaveProperty("credits");
  });

  it("ends a key's refill when it makes the key unlimited", async () => {
    const { keyId } = await apiWithKey({ remaining: 5, refill: { interval: "daily", amount: 5 } });
    const change = await v2("keys.updateCredits", { keyId, operation: "set", value: null }, V2KeysUpdateCreditsResponseBody$inboundSchema);
    expect(change.data).toEqual({ remaining: null });
    expect(await getKeyV2(keyId)).not.toHaveProperty("credits");
    expect((await get("/v1/keys.getKey", { keyId })).body).not.toHaveProperty("refill");
  });
});

describe("v2 keys.deleteKey, keys.rerollKey and keys.revokeKey", () => {
  it("deletes a key: its next verify fails and getKey no longer finds it", async () => {
    const { keyId, key } = await apiWithKey();
    expect(await v2("keys.deleteKey", { keyId, permanent: false }, V2KeysDeleteKeyResponseBody$inboundSchema)).toEqual({ meta: { requestId }, data: {} });
    expect((await verify(key)).code).toBe("NOT_FOUND");
    expect((await post("/v2/keys.getKey", { keyId })).status).toBe(404);
    expect(await env.DB.prepare("SELECT deleted_at FROM keys WHERE id = ?").bind(keyId).first("deleted_at")).toEqual(expect.any(Number));
  });

  it("deletes a key permanently", async () => {
    const { keyId } = await apiWithKey();
    await unkeyV2().keys.deleteKey({ keyId, permanent: true });
    expect(await env.DB.prepare("SELECT id FROM keys WHERE id = ?").bind(keyId).first()).toBeNull();
  });

  it("rerolls a key: the new one has the old one's settings, the old one ends at once with expiration 0", async () => {
    const permission = uniqueName("orders.read");
    const { keyId, key } = await apiWithKey({ prefix: "ks", name: "billing", permissions: [permission], remaining: 4 });
    const { data } = await v2("keys.rerollKey", { keyId, expiration: 0 }, V2KeysRerollKeyResponseBody$inboundSchema);
    expect(data).toEqual({ keyId: expect.stringMatching(/^key_/), key: expect.stringMatching(/^ks_/) });
    expect(data.keyId).not.toBe(keyId);
    expect((await verify(key)).code).toBe("EXPIRED");
    expect(await verify(data.key, { authorization: { permissions: permission } })).toMatchObject({ valid: true, name: "billing", remaining: 3 });
  });

  it("rerolls with overlap: both keys work until the old one expires", async () => {
    const { keyId, key } = await apiWithKey();
    const { data } = await unkeyV2().keys.rerollKey({ keyId, expiration: 60_000 });
    expect((await verify(key)).valid).toBe(true);
    expect((await verify(data.key)).valid).toBe(true);
    expect((await getKeyV2(keyId)).expires).toBeGreaterThan(Date.now());
  });

  it("revokes a key (Keygate's own operation): it fails at once and stays listed with its reason", async () => {
    const { keyId, key } = await apiWithKey();
    expect((await post("/v2/keys.revokeKey", { keyId, reason: "leaked" })).body).toEqual({ meta: { requestId }, data: {} });
    expect((await verify(key)).code).toBe("DISABLED");
    expect(await getKeyV2(keyId)).toMatchObject({ enabled: false, revokedAt: expect.any(Number), revokeReason: "leaked" });
    expect((await post("/v2/keys.revokeKey", { keyId })).status).toBe(200);
    expect((await getKeyV2(keyId)).revokeReason).toBe("leaked");
  });
});

describe("v2 keys permissions and roles", () => {
  it("answers each change with every permission the key holds directly, with slugs and descriptions", async () => {
    const described = uniqueName("documents.read");
    expect((await post("/v1/permissions.createPermission", { name: described, description: "Read documents" })).status).toBe(200);
    const [fresh, other] = [uniqueName("documents.write"), uniqueName("settings.view")];
    const { keyId, key } = await apiWithKey();

    const added = await v2("keys.addPermissions", { keyId, permissions: [described, fresh] }, V2KeysAddPermissionsResponseBody$inboundSchema);
    const describedRow = { id: expect.stringMatching(/^perm_/), name: described, slug: described, description: "Read documents" };
    const freshRow = { id: expect.stringMatching(/^perm_/), name: fresh, slug: fresh };
    expect(added.data).toEqual([describedRow, freshRow].sort((a, b) => a.name.localeCompare(b.name)));
    // Adding what the key holds changes nothing and answers the same.
    expect((await unkeyV2().keys.addPermissions({ keyId, permissions: [described] })).data).toHaveLength(2);

    const freshId = added.data.find((row: { name: string }) => row.name === fresh).id;
    const removed = await v2("keys.removePermissions", { keyId, permissions: [freshId] }, V2KeysRemovePermissionsResponseBody$inboundSchema);
    expect(removed.data).toEqual([describedRow]);

    const set = await v2("keys.setPermissions", { keyId, permissions: [other] }, V2KeysSetPermissionsResponseBody$inboundSchema);
    expect(set.data).toEqual([{ id: expect.stringMatching(/^perm_/), name: other, slug: other }]);
    expect((await verify(key, { authorization: { permissions: other } })).code).toBe("VALID");
    expect((await verify(key, { authorization: { permissions: described } })).code).toBe("INSUFFICIENT_PERMISSIONS");

    expect((await unkeyV2().keys.removePermissions({ keyId, permissions: [other] })).data).toEqual([]);
    expect((await v2("keys.setPermissions", { keyId, permissions: [] }, V2KeysSetPermissionsResponseBody$inboundSchema)).data).toEqual([]);
  });

  it("answers each change with every role the key holds, with descriptions", async () => {
    const [admin, reader] = [uniqueName("admin"), uniqueName("reader")];
    const granted = uniqueName("billing.read");
    expect((await post("/v1/permissions.createRole", { name: admin, description: "Everything", permissions: [granted] })).status).toBe(200);
    expect((await post("/v1/permissions.createRole", { name: reader })).status).toBe(200);
    const { keyId, key } = await apiWithKey();

    const added = await v2("keys.addRoles", { keyId, roles: [admin, reader] }, V2KeysAddRolesResponseBody$inboundSchema);
    const adminRow = { id: expect.stringMatching(/^role_/), name: admin, description: "Everything" };
    const readerRow = { id: expect.stringMatching(/^role_/), name: reader };
    expect(added.data).toEqual([adminRow, readerRow].sort((a, b) => a.name.localeCompare(b.name)));
    expect((await verify(key, { authorization: { permissions: granted } })).code).toBe("VALID");

    expect((await v2("keys.removeRoles", { keyId, roles: [admin] }, V2KeysRemoveRolesResponseBody$inboundSchema)).data).toEqual([readerRow]);
    expect((await verify(key, { authorization: { permissions: granted } })).code).toBe("INSUFFICIENT_PERMISSIONS");
    expect((await v2("keys.setRoles", { keyId, roles: [admin] }, V2KeysSetRolesResponseBody$inboundSchema)).data).toEqual([adminRow]);
    expect((await unkeyV2().keys.setRoles({ keyId, roles: [] })).data).toEqual([]);
    expect(await getKeyV2(keyId)).toMatchObject({ roles: [] });
  });
});

describe("v2 keys.migrateKeys", () => {
  it("imports keys by their SHA-256 in base64 or hex; their holders keep using them", async () => {
    const apiId = await createApi();
    const [first, second] = [`legacy_${crypto.randomUUID()}`, `legacy_${crypto.randomUUID()}`];
    const [base64Hash, hexHash] = [hashKey(first), await hexSha256(second)];
    const permission = uniqueName("legacy.read");
    const res = await v2(
      "keys.migrateKeys",
      {
        migrationId: "acme",
        apiId,
        keys: [
          {
            hash: base64Hash,
            name: "imported",
            externalId: uniqueName("customer"),
            meta: { from: "legacy" },
            permissions: [permission],
            enabled: true,
            credits: { remaining: 50 },
            ratelimits: [{ name: "requests", limit: 100, duration: 60_000, autoApply: true }],
          },
          { hash: hexHash.toUpperCase(), enabled: true },
        ],
      },
      V2KeysMigrateKeysResponseBody$inboundSchema,
    );
    expect(res.data).toEqual({
      migrated: [
        { hash: base64Hash, keyId: expect.stringMatching(/^key_/) },
        { hash: hexHash.toUpperCase(), keyId: expect.stringMatching(/^key_/) },
      ],
      failed: [],
    });
    const [imported, plain] = res.data.migrated.map((row: { keyId: string }) => row.keyId);
    expect(await verify(first, { authorization: { permissions: permission } })).toMatchObject({
      valid: true,
      keyId: imported,
      name: "imported",
      remaining: 49,
    });
    expect(await verify(second)).toMatchObject({ valid: true, keyId: plain });
    expect(await getKeyV2(imported)).toMatchObject({
      meta: { from: "legacy" },
      credits: { remaining: 49 },
      ratelimits: [{ name: "requests", autoApply: true }],
    });
    expect(await auditEventsOf(imported)).toEqual(["key.create"]);
  });

  it("lists as failed a hash a key already has, or one given twice, and imports the rest", async () => {
    const apiId = await createApi();
    const { key: existing } = await createKey(apiId);
    const fresh = `legacy_${crypto.randomUUID()}`;
    const { data } = await unkeyV2().keys.migrateKeys({
      migrationId: "acme",
      apiId,
      keys: [{ hash: hashKey(existing) }, { hash: hashKey(fresh) }, { hash: await hexSha256(fresh) }],
    });
    expect(data).toEqual({ migrated: [{ hash: hashKey(fresh), keyId: expect.stringMatching(/^key_/) }], failed: [hashKey(existing), await hexSha256(fresh)] });
    expect((await verify(fresh)).keyId).toBe(data.migrated[0]!.keyId);

    const again = await v2("keys.migrateKeys", { migrationId: "acme", apiId, keys: [{ hash: hashKey(fresh) }] }, V2KeysMigrateKeysResponseBody$inboundSchema);
    expect(again.data).toEqual({ migrated: [], failed: [hashKey(fresh)] });
  });
});

describe("v1 and v2 see the same keys", () => {
  it("shows a key made and changed through v1 in v2, and the other way round", async () => {
    const apiId = await createApi();
    const { keyId } = await createKey(apiId, { name: "from v1", remaining: 9 });
    await post("/v1/keys.updateRemaining", { keyId, op: "increment", value: 1 });
    expect(await getKeyV2(keyId)).toMatchObject({ name: "from v1", credits: { remaining: 10 } });

    await v2("keys.updateKey", { keyId, name: "from v2", credits: { remaining: 3 } }, V2KeysUpdateKeyResponseBody$inboundSchema);
    expect((await get("/v1/keys.getKey", { keyId })).body).toMatchObject({ name: "from v2", remaining: 3 });

    const { data } = await v2("keys.createKey", { apiId, name: "made in v2", meta: { v: 2 } }, V2KeysCreateKeyResponseBody$inboundSchema);
    expect((await get("/v1/keys.getKey", { keyId: data.keyId })).body).toMatchObject({ id: data.keyId, name: "made in v2", meta: { v: 2 } });
    await post("/v1/keys.revokeKey", { keyId: data.keyId, reason: "v1" });
    expect(await getKeyV2(data.keyId)).toMatchObject({ enabled: false, revokeReason: "v1" });
    await post("/v2/keys.deleteKey", { keyId });
    expect((await get("/v1/keys.getKey", { keyId })).status).toBe(404);
  });
});
