import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expireKey, konpro, revokeKeyInD1 } from "../helpers/dialects";
import { brokenD1, brokenDurableObjects, brokenKv, fetchWith } from "../helpers/faults";
import { apiWithKey, post, verify } from "../helpers/harness";

const invalid = { valid: false, key_id: null, scopes: [], metadata: {}, expires_at: null };

const konproErrorBody = (code: string) => ({
  error: { code, message: expect.any(String), request_id: expect.stringMatching(/^req_/) },
});

describe("Konpro POST /v1/api-keys/validate: happy paths", () => {
  it("answers the exact success shape: permissions as scopes, meta as metadata, expiry in ISO 8601 UTC", async () => {
    const expires = Date.UTC(2099, 11, 31, 23, 59, 59);
    const { key, keyId } = await apiWithKey({
      permissions: ["write", "read"],
      meta: { env: "production", project: "customer-support" },
      expires,
    });
    const res = await konpro({ "x-api-key": key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: true,
      key_id: keyId,
      scopes: ["read", "write"],
      metadata: { env: "production", project: "customer-support" },
      expires_at: "2099-12-31T23:59:59.000Z",
    });
  });

  it("gives empty scopes and metadata, and a null expires_at, for a plain key", async () => {
    const { key, keyId } = await apiWithKey();
    expect((await konpro({ "x-api-key": key })).body).toEqual({ valid: true, key_id: keyId, scopes: [], metadata: {}, expires_at: null });
  });

  it("needs no body: an empty body, a JSON body or a body of another type are all fine", async () => {
    const { key } = await apiWithKey();
    expect((await konpro({ "x-api-key": key })).body.valid).toBe(true);
    expect((await konpro({ "x-api-key": key }, "")).body.valid).toBe(true);
    expect((await konpro({ "x-api-key": key }, JSON.stringify({ anything: 1 }))).body.valid).toBe(true);
    const res = await SELF.fetch("http://keygate.test/v1/api-keys/validate", {
      method: "POST",
      headers: { "x-api-key": key, "content-type": "text/plain" },
      body: "not json",
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).valid).toBe(true);
  });

  it("consumes no credits", async () => {
    const { key } = await apiWithKey({ remaining: 1 });
    expect((await konpro({ "x-api-key": key })).body.valid).toBe(true);
    expect((await konpro({ "x-api-key": key })).body.valid).toBe(true);
    expect(await verify(key, { remaining: { cost: 0 } })).toMatchObject({ valid: true, remaining: 1 });
  });
});

describe("Konpro POST /v1/api-keys/validate: keys that cannot be used", () => {
  it("is 200 valid:false, and nothing else, for an unknown key", async () => {
    const res = await konpro({ "x-api-key": "sk_test_never_issued_konpro_0001" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(invalid);
  });

  it("is 200 valid:false for an expired, a revoked, a disabled and a deleted key", async () => {
    const expired = await apiWithKey({ expires: Date.now() + 60_000, meta: { a: 1 } });
    const revoked = await apiWithKey({ permissions: ["read"] });
    const disabled = await apiWithKey();
    const deleted = await apiWithKey();
    for (const { key } of [expired, revoked, disabled, deleted]) expect((await konpro({ "x-api-key": key })).body.valid).toBe(true);

    await expireKey(expired.keyId);
    await revokeKeyInD1(revoked.keyId);
    await post("/v1/keys.updateKey", { keyId: disabled.keyId, enabled: false });
    await post("/v1/keys.deleteKey", { keyId: deleted.keyId });
    for (const { key } of [expired, revoked, disabled, deleted]) {
      const res = await konpro({ "x-api-key": key });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(invalid);
    }
  });

  it("is valid only from an address inside the key's allowlist", async () => {
    const { key } = await apiWithKey({ ipAllowlist: ["10.0.0.0/8"] });
    expect((await konpro({ "x-api-key": key, "CF-Connecting-IP": "10.1.2.3" })).body.valid).toBe(true);
    expect((await konpro({ "x-api-key": key, "CF-Connecting-IP": "192.168.1.1" })).body).toEqual(invalid);
    expect((await konpro({ "x-api-key": key })).body).toEqual(invalid);
  });

  it("is 429 with Retry-After once the key's rate limit is used: the key is valid, the call must wait", async () => {
    const { key } = await apiWithKey({ ratelimit: { limit: 1, duration: 60_000 } });
    expect((await konpro({ "x-api-key": key })).body.valid).toBe(true);
    const res = await konpro({ "x-api-key": key });
    expect(res.status).toBe(429);
    expect(res.body).toEqual(konproErrorBody("too_many_requests"));
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});

describe("Konpro POST /v1/api-keys/validate: errors and security", () => {
  it.each([
    ["a missing header", {}],
    ["an empty header", { "x-api-key": "" }],
    ["a 10 kB header", { "x-api-key": "k".repeat(10 * 1024) }],
  ])("is 400 bad_request for %s", async (_, headers) => {
    const res = await konpro(headers);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(konproErrorBody("bad_request"));
    expect(res.body.error.message).toMatch(/x-api-key/);
  });

  it("refuses a 10 kB key before any lookup: no dependency is touched", async () => {
    const res = await fetchWith({ DB: brokenD1(), KEY_CACHE: brokenKv(), KEY_STATE: brokenDurableObjects(env.KEY_STATE) }, "/v1/api-keys/validate", {
      method: "POST",
      headers: { "x-api-key": "k".repeat(10 * 1024) },
    });
    expect(res.status).toBe(400);
  });

  it("is 503 service_unavailable, never an answer, when a dependency fails", async () => {
    const { key } = await apiWithKey();
    const broken = await fetchWith({ KEY_STATE: brokenDurableObjects(env.KEY_STATE) }, "/v1/api-keys/validate", {
      method: "POST",
      headers: { "x-api-key": key },
    });
    expect(broken.status).toBe(503);
    expect(await broken.json()).toEqual(konproErrorBody("service_unavailable"));

    const uncached = await fetchWith({ DB: brokenD1(), KEY_CACHE: brokenKv() }, "/v1/api-keys/validate", {
      method: "POST",
      headers: { "x-api-key": "sk_test_never_seen_konpro_0001" },
    });
    expect(uncached.status).toBe(503);
    expect(await uncached.json()).toEqual(konproErrorBody("service_unavailable"));
  });

  it("ignores a Bearer header: the key to validate is the one in x-api-key", async () => {
    const { key } = await apiWithKey();
    expect((await konpro({ authorization: `Bearer ${key}` })).status).toBe(400);
  });
});
