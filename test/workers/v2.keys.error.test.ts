import { BadRequestErrorResponse, NotFoundErrorResponse } from "@unkey/api-v2/models/errors";
import { describe, expect, it } from "vitest";
import { hashKey } from "../../src/crypto/keys";
import { apiWithKey, type CallResult, call, createApi, get, post, verify } from "../helpers/harness";
import { auditEventsOf, uniqueName } from "../helpers/rootKeys";
import { expectV2Error, invalidFields, unkeyV2 } from "../helpers/unkeyV2Sdk";

/** A 412 in v2's envelope, over a revoked key. */
const expectPreconditionFailed = (res: CallResult) => expectV2Error(res, 412, { code: "precondition_failed", detail: "revoked" });

describe("v2 keys.createKey errors", () => {
  it("names each invalid field by its location in the body", async () => {
    const apiId = await createApi();
    expect(await invalidFields("keys.createKey", {})).toEqual(["body.apiId"]);
    expect(await invalidFields("keys.createKey", { apiId, byteLength: 8, prefix: "has space" })).toEqual(["body.prefix", "body.byteLength"]);
    expect(await invalidFields("keys.createKey", { apiId, credits: null })).toEqual(["body.credits"]);
    expect(await invalidFields("keys.createKey", { apiId, credits: { remaining: -1 } })).toEqual(["body.credits.remaining"]);
    expect(await invalidFields("keys.createKey", { apiId, credits: { refill: { interval: "daily", amount: 1 } } })).toEqual(["body.credits.remaining"]);
    expect(await invalidFields("keys.createKey", { apiId, credits: { remaining: null, refill: { interval: "daily", amount: 1 } } })).toEqual([
      "body.credits.refill",
    ]);
    expect(await invalidFields("keys.createKey", { apiId, credits: { remaining: 1, refill: { interval: "daily", amount: 1, refillDay: 3 } } })).toEqual([
      "body.credits.refill.refillDay",
    ]);
    expect(await invalidFields("keys.createKey", { apiId, credits: { remaining: 1, refill: { interval: "weekly", amount: 1 } } })).toEqual([
      "body.credits.refill.interval",
    ]);
    const limit = { name: "a", limit: 1, duration: 1000 };
    expect(await invalidFields("keys.createKey", { apiId, ratelimits: [limit, limit] })).toEqual(["body.ratelimits[1].name"]);
    expect(await invalidFields("keys.createKey", { apiId, ratelimits: [{ ...limit, duration: 10 }] })).toEqual(["body.ratelimits[0].duration"]);
    expect(await invalidFields("keys.createKey", { apiId, expires: Date.now() - 1000 })).toEqual(["body.expires"]);
    expect(await invalidFields("keys.createKey", { apiId, roles: "admin" })).toEqual(["body.roles"]);
    expect(await invalidFields("keys.createKey", { apiId, ownerId: "v1 only" })).toEqual(["body"]);
  });

  it("is a 404 for a role that does not exist, and writes neither the key nor the role", async () => {
    const apiId = await createApi();
    const role = uniqueName("missingRole");
    expectV2Error(await post("/v2/keys.createKey", { apiId, roles: [role] }), 404, { code: "not_found", detail: role });
    expect((await post("/v2/apis.listKeys", { apiId })).body.data).toEqual([]);
    expectV2Error(await post("/v2/permissions.getRole", { role }), 404);
  });

  it("refuses a recoverable key: Keygate stores only the key's hash", async () => {
    const apiId = await createApi();
    const res = await post("/v2/keys.createKey", { apiId, recoverable: true });
    expectV2Error(res, 400);
    expect(res.body.error.errors).toEqual([{ location: "body.recoverable", message: expect.stringContaining("stores only the SHA-256 hash") }]);
    const thrown = await unkeyV2()
      .keys.createKey({ apiId, recoverable: true })
      .catch((err) => err);
    expect(thrown).toBeInstanceOf(BadRequestErrorResponse);
    expect((await get("/v1/apis.listKeys", { apiId })).body.keys).toEqual([]);
  });

  it("is 404 for an api that does not exist", async () => {
    const res = await post("/v2/keys.createKey", { apiId: "api_missing" });
    expectV2Error(res, 404);
    expect(res.body.error.detail).toContain("api_missing");
  });
});

describe("v2 keys reads: errors", () => {
  it("is 404 for a key that does not exist, through the SDK too", async () => {
    expectV2Error(await post("/v2/keys.getKey", { keyId: "key_missing" }), 404);
    expectV2Error(await post("/v2/keys.whoami", { key: "not_a_key_anyone_has" }), 404);
    await expect(unkeyV2().keys.getKey({ keyId: "key_missing" })).rejects.toBeInstanceOf(NotFoundErrorResponse);
  });

  it("names the invalid fields of getKey and whoami", async () => {
    expect(await invalidFields("keys.getKey", {})).toEqual(["body.keyId"]);
    expect(await invalidFields("keys.getKey", { keyId: "key_x", decrypt: "yes" })).toEqual(["body.decrypt"]);
    expect(await invalidFields("keys.whoami", { key: "" })).toEqual(["body.key"]);
    expect(await invalidFields("keys.whoami", { key: "x".repeat(2000) })).toEqual(["body.key"]);
  });

  it("answers a malformed body, a wrong method and a wrong content type in the v2 envelope", async () => {
    expectV2Error(await call("POST", "/v2/keys.getKey", { rawBody: "{not json" }), 400);
    const wrongMethod = await call("GET", "/v2/keys.createKey");
    expectV2Error(wrongMethod, 405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expectV2Error(await call("POST", "/v2/keys.getKey", { rawBody: "keyId=x", headers: { "content-type": "application/x-www-form-urlencoded" } }), 400);
  });
});

describe("v2 keys.updateKey errors", () => {
  it("names each invalid field, and changes nothing", async () => {
    const { keyId } = await apiWithKey({ name: "kept" });
    expect(await invalidFields("keys.updateKey", { name: "x" })).toEqual(["body.keyId"]);
    expect(await invalidFields("keys.updateKey", { keyId, name: "" })).toEqual(["body.name"]);
    expect(await invalidFields("keys.updateKey", { keyId, expires: Date.now() - 1 })).toEqual(["body.expires"]);
    expect(await invalidFields("keys.updateKey", { keyId, credits: { remaining: null, refill: { interval: "daily", amount: 5 } } })).toEqual([
      "body.credits.refill",
    ]);
    expect(await invalidFields("keys.updateKey", { keyId, enabled: null })).toEqual(["body.enabled"]);
    expect(await invalidFields("keys.updateKey", { keyId, ratelimits: [{ name: "x", limit: 0, duration: 1000 }] })).toEqual(["body.ratelimits[0].limit"]);
    expect((await post("/v2/keys.getKey", { keyId })).body.data.name).toBe("kept");
    expect(await auditEventsOf(keyId)).toEqual(["key.create"]);
  });

  it("refuses a refill for a key without credits", async () => {
    const { keyId } = await apiWithKey();
    const res = await post("/v2/keys.updateKey", { keyId, credits: { refill: { interval: "daily", amount: 5 } } });
    expectV2Error(res, 400);
    expect(res.body.error.detail).toContain("refill");
  });

  it("is 404 for a role that does not exist, and changes nothing", async () => {
    const { keyId } = await apiWithKey({ name: "kept" });
    const res = await post("/v2/keys.updateKey", { keyId, name: "changed", roles: [uniqueName("missing")] });
    expectV2Error(res, 404);
    expect((await post("/v2/keys.getKey", { keyId })).body.data.name).toBe("kept");
  });

  it("refuses to enable a revoked key (412)", async () => {
    const { keyId, key } = await apiWithKey();
    await post("/v2/keys.revokeKey", { keyId });
    expectPreconditionFailed(await post("/v2/keys.updateKey", { keyId, enabled: true }));
    expect((await verify(key)).code).toBe("DISABLED");
  });
});

describe("v2 keys.updateCredits errors", () => {
  it("needs a value to increment or decrement, and a known operation", async () => {
    const { keyId } = await apiWithKey({ remaining: 5 });
    expect(await invalidFields("keys.updateCredits", { keyId, operation: "increment" })).toEqual(["body.value"]);
    expect(await invalidFields("keys.updateCredits", { keyId, operation: "decrement", value: null })).toEqual(["body.value"]);
    expect(await invalidFields("keys.updateCredits", { keyId, operation: "multiply", value: 2 })).toEqual(["body.operation"]);
    expect(await invalidFields("keys.updateCredits", { keyId, operation: "set", value: -1 })).toEqual(["body.value"]);
    expect(await invalidFields("keys.updateCredits", { keyId, operation: "set", value: 1.5 })).toEqual(["body.value"]);
    expect((await post("/v2/keys.getKey", { keyId })).body.data.credits).toEqual({ remaining: 5 });
  });

  it("is 404 for a key that does not exist", async () => {
    expectV2Error(await post("/v2/keys.updateCredits", { keyId: "key_missing", operation: "set", value: 1 }), 404);
  });
});

describe("v2 keys.deleteKey, keys.rerollKey and keys.revokeKey errors", () => {
  it("names the invalid fields", async () => {
    expect(await invalidFields("keys.deleteKey", { keyId: "key_x", permanent: "yes" })).toEqual(["body.permanent"]);
    expect(await invalidFields("keys.rerollKey", { keyId: "key_x" })).toEqual(["body.expiration"]);
    expect(await invalidFields("keys.rerollKey", { keyId: "key_x", expiration: -1 })).toEqual(["body.expiration"]);
    expect(await invalidFields("keys.rerollKey", { keyId: "key_x", expiration: 2 * 365 * 24 * 60 * 60 * 1000 })).toEqual(["body.expiration"]);
    expect(await invalidFields("keys.revokeKey", { keyId: "key_x", reason: "" })).toEqual(["body.reason"]);
  });

  it("is 404 for a key that does not exist, or was deleted", async () => {
    const { keyId } = await apiWithKey();
    await post("/v2/keys.deleteKey", { keyId });
    for (const [operation, body] of [
      ["keys.deleteKey", { keyId }],
      ["keys.rerollKey", { keyId, expiration: 0 }],
      ["keys.revokeKey", { keyId }],
    ] as const) {
      expectV2Error(await post(`/v2/${operation}`, body), 404);
    }
  });

  it("refuses to reroll a revoked key (412)", async () => {
    const { keyId } = await apiWithKey();
    await post("/v2/keys.revokeKey", { keyId });
    expectPreconditionFailed(await post("/v2/keys.rerollKey", { keyId, expiration: 0 }));
  });
});

describe("v2 keys permissions and roles errors", () => {
  it("needs at least one name to add or remove, and names the invalid fields", async () => {
    const { keyId } = await apiWithKey();
    expect(await invalidFields("keys.addPermissions", { keyId, permissions: [] })).toEqual(["body.permissions"]);
    expect(await invalidFields("keys.removeRoles", { keyId, roles: [] })).toEqual(["body.roles"]);
    expect(await invalidFields("keys.setPermissions", { keyId, permissions: [{ name: "v1 shape" }] })).toEqual(["body.permissions[0]"]);
    expect(await invalidFields("keys.setRoles", { keyId })).toEqual(["body.roles"]);
    expect(await invalidFields("keys.addRoles", { keyId, roles: ["bad\nname"] })).toEqual(["body.roles[0]"]);
  });

  it("is 404 for a role that does not exist, or a permission to remove that does not, and changes nothing", async () => {
    const role = uniqueName("held");
    await post("/v1/permissions.createRole", { name: role });
    const { keyId } = await apiWithKey({ roles: [role] });
    expectV2Error(await post("/v2/keys.addRoles", { keyId, roles: [uniqueName("missing")] }), 404);
    expectV2Error(await post("/v2/keys.setRoles", { keyId, roles: [uniqueName("missing")] }), 404);
    expectV2Error(await post("/v2/keys.removePermissions", { keyId, permissions: [uniqueName("missing")] }), 404);
    expect((await post("/v2/keys.getKey", { keyId })).body.data.roles).toEqual([role]);
  });

  it("is 404 for a key that does not exist", async () => {
    expectV2Error(await post("/v2/keys.addPermissions", { keyId: "key_missing", permissions: ["a"] }), 404);
  });
});

describe("v2 keys.migrateKeys errors", () => {
  it("takes only SHA-256 digests in base64 or hex, and names each invalid field", async () => {
    const apiId = await createApi();
    const hash = hashKey("some key");
    expect(await invalidFields("keys.migrateKeys", { apiId, keys: [{ hash }] })).toEqual(["body.migrationId"]);
    expect(await invalidFields("keys.migrateKeys", { migrationId: "m", apiId, keys: [] })).toEqual(["body.keys"]);
    expect(
      await invalidFields("keys.migrateKeys", {
        migrationId: "m",
        apiId,
        keys: [{ hash: "plaintext_key" }, { hash: hash.slice(0, -1) }, { hash: "ab".repeat(31) }, { hash, expires: Date.now() - 1 }],
      }),
    ).toEqual(["body.keys[0].hash", "body.keys[1].hash", "body.keys[2].hash", "body.keys[3].expires"]);
    expect(await invalidFields("keys.migrateKeys", { migrationId: "m", apiId, keys: [{ hash, plaintext: "some key" }] })).toEqual(["body.keys[0]"]);
    const many = Array.from({ length: 101 }, (_, i) => ({ hash: hashKey(`key ${i}`) }));
    expect(await invalidFields("keys.migrateKeys", { migrationId: "m", apiId, keys: many })).toEqual(["body.keys"]);
    expect((await get("/v1/apis.listKeys", { apiId })).body.keys).toEqual([]);
  });

  it("is 404 for an api that does not exist, and imports nothing", async () => {
    const plaintext = `legacy_${crypto.randomUUID()}`;
    expectV2Error(await post("/v2/keys.migrateKeys", { migrationId: "m", apiId: "api_missing", keys: [{ hash: hashKey(plaintext) }] }), 404);
    expect((await verify(plaintext)).code).toBe("NOT_FOUND");
  });

  it("is 404 for a role that does not exist, and imports nothing", async () => {
    const apiId = await createApi();
    const plaintext = `legacy_${crypto.randomUUID()}`;
    const role = uniqueName("missingRole");
    const res = await post("/v2/keys.migrateKeys", { migrationId: "m", apiId, keys: [{ hash: hashKey(plaintext), roles: [role] }] });
    expectV2Error(res, 404, { code: "not_found", detail: role });
    expect((await verify(plaintext)).code).toBe("NOT_FOUND");
    expectV2Error(await post("/v2/permissions.getRole", { role }), 404);
  });
});
