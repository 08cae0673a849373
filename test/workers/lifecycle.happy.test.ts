import { describe, expect, it } from "vitest";
import { apiWithKey, createApi, createKey, get, post, verify } from "../helpers/harness";

describe("revocation", () => {
  it("fails the key at once, keeps it listed with its reason, and never enables it again", async () => {
    const { key, keyId } = await apiWithKey();
    expect((await verify(key)).code).toBe("VALID");
    const revoked = await post("/v1/keys.revokeKey", { keyId, reason: "leaked in a log" });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ keyId, reason: "leaked in a log", revokedAt: expect.any(Number) });
    expect(await verify(key)).toMatchObject({ valid: false, code: "DISABLED", enabled: false });

    const enable = await post("/v1/keys.updateKey", { keyId, enabled: true });
    expect(enable.status).toBe(412);
    expect(enable.body.error.code).toBe("PRECONDITION_FAILED");
    expect((await verify(key)).code).toBe("DISABLED");

    const { body } = await get("/v1/keys.getKey", { keyId });
    expect(body).toMatchObject({ id: keyId, enabled: false, revokeReason: "leaked in a log", revokedAt: revoked.body.revokedAt });
    expect((await post("/v1/keys.revokeKey", { keyId })).body.revokedAt).toBe(revoked.body.revokedAt);
    expect((await post("/v1/keys.rerollKey", { keyId })).status).toBe(412);
  });
});

describe("rotation with overlap", () => {
  it("keeps both keys working during the overlap, with the old settings on the new key", async () => {
    const { key: oldKey, keyId: oldId } = await apiWithKey({
      prefix: "ks_prod",
      name: "billing",
      meta: { team: "a" },
      permissions: ["orders.read"],
      environment: "production",
      externalId: "acme",
    });
    const rerolled = await post("/v1/keys.rerollKey", { keyId: oldId, expiration: 60_000 });
    expect(rerolled.status).toBe(200);
    expect(rerolled.body.key).toMatch(/^ks_prod_/);
    expect(rerolled.body.keyId).not.toBe(oldId);
    const fresh = await verify(rerolled.body.key, { authorization: { permissions: "orders.read" } });
    expect(fresh).toMatchObject({ valid: true, name: "billing", meta: { team: "a" }, environment: "production", identity: { externalId: "acme" } });
    const old = await verify(oldKey);
    expect(old.valid).toBe(true);
    expect(old.expires).toBeGreaterThan(Date.now());
  });

  it("stops the old key at once with expiration 0", async () => {
    const { key, keyId } = await apiWithKey();
    const { body } = await post("/v1/keys.rerollKey", { keyId, expiration: 0 });
    expect((await verify(key)).code).toBe("EXPIRED");
    expect((await verify(body.key)).code).toBe("VALID");
  });

  it("moves credits to the new key and lets both spend one pool, never duplicated", async () => {
    const { key: oldKey, keyId } = await apiWithKey({ remaining: 10 });
    await verify(oldKey);
    await verify(oldKey);
    const { body } = await post("/v1/keys.rerollKey", { keyId, expiration: 60_000 });
    expect(await verify(body.key)).toMatchObject({ valid: true, remaining: 7 });
    expect(await verify(oldKey)).toMatchObject({ valid: true, remaining: 6 });
    const both = await Promise.all(Array.from({ length: 10 }, (_, i) => verify(i % 2 ? oldKey : body.key)));
    expect(both.filter((r) => r.valid)).toHaveLength(6);
    expect(await verify(oldKey)).toMatchObject({ valid: false, code: "USAGE_EXCEEDED", remaining: 0 });
  });
});

describe("environments and prefixes", () => {
  it("uses the api's prefix for the key's environment and refuses other environments on request", async () => {
    const apiId = await createApi("envs", { keyPrefixes: { production: "ks_prod", development: "ks_dev" } });
    const prod = await createKey(apiId, { environment: "production" });
    const dev = await createKey(apiId, { environment: "development" });
    expect(prod.key).toMatch(/^ks_prod_/);
    expect(dev.key).toMatch(/^ks_dev_/);
    expect((await verify(prod.key, { environment: "production" })).code).toBe("VALID");
    expect(await verify(dev.key, { environment: "production" })).toMatchObject({ valid: false, code: "FORBIDDEN" });
  });
});

describe("IP allowlists", () => {
  const from = (ip: string) => ({ "cf-connecting-ip": ip });

  it("admits addresses inside IPv4 and IPv6 ranges only", async () => {
    const { key } = await apiWithKey({ ipAllowlist: ["10.0.0.0/8", "2001:db8::/32", "192.0.2.7"] });
    expect((await verify(key, {}, from("10.1.2.3"))).code).toBe("VALID");
    expect((await verify(key, {}, from("192.0.2.7"))).code).toBe("VALID");
    expect((await verify(key, {}, from("2001:db8::1"))).code).toBe("VALID");
    expect((await verify(key, {}, from("::ffff:10.9.9.9"))).code).toBe("VALID");
    expect((await verify(key, {}, from("11.0.0.1"))).code).toBe("FORBIDDEN");
    expect((await verify(key, {}, from("2001:db9::1"))).code).toBe("FORBIDDEN");
    expect((await verify(key)).code).toBe("FORBIDDEN");
  });

  it("allows any address with an empty list, and applies the api's list too", async () => {
    const { key } = await apiWithKey({ ipAllowlist: [] });
    expect((await verify(key, {}, from("198.51.100.1"))).code).toBe("VALID");
    const apiId = await createApi("restricted", { ipAllowlist: ["198.51.100.0/24"] });
    const restricted = await createKey(apiId);
    expect((await verify(restricted.key, {}, from("198.51.100.9"))).code).toBe("VALID");
    expect((await verify(restricted.key, {}, from("203.0.113.1"))).code).toBe("FORBIDDEN");
  });

  it("changes take effect on the very next verify", async () => {
    const { key, keyId } = await apiWithKey();
    expect((await verify(key, {}, from("203.0.113.1"))).code).toBe("VALID");
    await post("/v1/keys.updateKey", { keyId, ipAllowlist: ["10.0.0.0/8"] });
    expect((await verify(key, {}, from("203.0.113.1"))).code).toBe("FORBIDDEN");
  });
});

describe("audit trail", () => {
  it("records every mutation of a key, newest first, without a plaintext key", async () => {
    const apiId = await createApi("audited");
    const { keyId, key } = await createKey(apiId);
    await post("/v1/keys.updateKey", { keyId, name: "renamed" });
    await post("/v1/keys.updateKey", { keyId, enabled: false });
    await post("/v1/keys.updateKey", { keyId, enabled: true });
    await post("/v1/keys.updateKey", { keyId, ipAllowlist: ["10.0.0.0/8"] });
    const { body: rerolled } = await post("/v1/keys.rerollKey", { keyId, expiration: 1000 });
    await post("/v1/keys.revokeKey", { keyId, reason: "rotated" });
    await post("/v1/keys.deleteKey", { keyId }, { headers: { "user-agent": "audit-test/1.0", "cf-connecting-ip": "192.0.2.1" } });

    const { body } = await get("/v1/audit.listLogs", { keyId });
    expect(body.logs.map((log: any) => log.event)).toEqual([
      "key.delete",
      "key.revoke",
      "key.reroll",
      "key.ip_allowlist.update",
      "key.enable",
      "key.disable",
      "key.update",
      "key.create",
    ]);
    expect(body.logs[0]).toMatchObject({
      actor: { type: "root_key", id: "root_bootstrap" },
      resources: [{ type: "key", id: keyId }],
      context: { ipAddress: "192.0.2.1", userAgent: "audit-test/1.0" },
    });
    const serialized = JSON.stringify(body);
    expect(serialized).not.toContain(key);
    expect(serialized).not.toContain(rerolled.key);

    const apiLogs = await get("/v1/audit.listLogs", { apiId, event: "key.create" });
    expect(apiLogs.body.logs).toHaveLength(1);
  });

  it("pages with a cursor", async () => {
    const apiId = await createApi("paged-audit");
    for (let i = 0; i < 3; i++) await createKey(apiId);
    const first = await get("/v1/audit.listLogs", { apiId, limit: "2" });
    expect(first.body.logs).toHaveLength(2);
    const second = await get("/v1/audit.listLogs", { apiId, limit: "2", cursor: first.body.cursor });
    expect(second.body.logs).toHaveLength(2);
    expect(second.body.cursor).toBeUndefined();
    expect(second.body.logs.at(-1).event).toBe("api.create");
  });
});
