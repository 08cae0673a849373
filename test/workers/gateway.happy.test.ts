import { describe, expect, it } from "vitest";
import { apiKey, fromProxy, gateway } from "../helpers/gateway";
import { apiWithKey, createApi, createKey, post, verify } from "../helpers/harness";

const minute = 60_000;

describe("gateway: allowed requests", () => {
  it("answers 200 with every identity header", async () => {
    const { apiId, keyId, key } = await apiWithKey({
      name: "Customer X",
      externalId: "user_gw_123",
      meta: { plan: "pro" },
      permissions: ["orders.write", "orders.read"],
      environment: "production",
      remaining: 100,
      ratelimit: { limit: 10, duration: minute },
    });
    const res = await gateway(apiId, { path: "/orders/1", headers: apiKey(key) });
    expect(res.status).toBe(200);
    expect(Object.fromEntries([...res.headers].filter(([name]) => name.startsWith("x-key-") || name.startsWith("ratelimit-")))).toEqual({
      "x-key-code": "VALID",
      "x-key-id": keyId,
      "x-key-owner": "user_gw_123",
      "x-key-name": "Customer X",
      "x-key-environment": "production",
      "x-key-permissions": "orders.read,orders.write",
      "x-key-meta": '{"plan":"pro"}',
      "x-key-remaining": "99",
      "ratelimit-limit": "10",
      "ratelimit-remaining": "9",
      "ratelimit-reset": expect.stringMatching(/^\d+$/),
    });
    expect(Number(res.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    expect(Number(res.headers.get("ratelimit-reset"))).toBeLessThanOrEqual(61);
    expect(res.headers.get("cache-control")).toBe("no-store");
    // The body is keys.verifyKey's, for the Hono middleware; gateways ignore it.
    expect(res.body).toMatchObject({ keyId, valid: true, code: "VALID", ownerId: "user_gw_123", remaining: 99 });
  });

  it("sends the identity headers empty when they do not apply, so a client cannot supply them", async () => {
    const { apiId, key } = await apiWithKey();
    const res = await gateway(apiId, { headers: { ...apiKey(key), "x-key-owner": "admin" } });
    expect(res.status).toBe(200);
    for (const name of ["x-key-owner", "x-key-name", "x-key-environment", "x-key-permissions", "x-key-meta", "x-key-remaining", "ratelimit-limit"]) {
      expect(res.headers.get(name), name).toBe("");
    }
  });

  it("takes any method and any path suffix, without a body", async () => {
    const { apiId, key } = await apiWithKey();
    for (const method of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
      for (const path of ["", "/", "/orders", "/a/b/c.json", "/orders?page=2&sort=desc"]) {
        expect((await gateway(apiId, { method, path, headers: apiKey(key) })).status, `${method} ${path}`).toBe(200);
      }
    }
  });

  it("reads the key from X-API-Key, else from Authorization: Bearer", async () => {
    const { apiId, key } = await apiWithKey();
    expect((await gateway(apiId, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect((await gateway(apiId, { headers: { authorization: `bearer   ${key}` } })).status).toBe(200);
    // X-API-Key first: the upstream may keep Authorization for its own sessions.
    expect((await gateway(apiId, { headers: { ...apiKey(key), authorization: "Bearer some.session.jwt" } })).status).toBe(200);
  });

  it("reads the key only from the header named by ?header=", async () => {
    const { apiId, key } = await apiWithKey();
    expect((await gateway(apiId, { query: "header=authorization", headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect((await gateway(apiId, { query: "header=authorization", headers: apiKey(key) })).status).toBe(401);
    expect((await gateway(apiId, { query: "header=x-customer-key", headers: { "x-customer-key": key } })).status).toBe(200);
    expect((await gateway(apiId, { query: "header=x-customer-key", headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
  });

  it("spends one credit and one unit of the default limit per check", async () => {
    const { apiId, key } = await apiWithKey({ remaining: 10, ratelimit: { limit: 5, duration: minute } });
    await gateway(apiId, { headers: apiKey(key) });
    const res = await gateway(apiId, { headers: apiKey(key) });
    expect(res.headers.get("x-key-remaining")).toBe("8");
    expect(res.headers.get("ratelimit-remaining")).toBe("3");
    expect(await verify(key, { remaining: { cost: 0 }, ratelimit: { cost: 0 } })).toMatchObject({ remaining: 8 });
  });

  it("requires every ?permission= of the auth URL", async () => {
    const { apiId, key } = await apiWithKey({ permissions: ["orders.read", "orders.write"] });
    expect((await gateway(apiId, { query: "permission=orders.read", headers: apiKey(key) })).status).toBe(200);
    expect((await gateway(apiId, { query: "permission=orders.read&permission=orders.write", headers: apiKey(key) })).status).toBe(200);
    const missing = await gateway(apiId, { query: "permission=orders.read&permission=orders.delete", headers: apiKey(key) });
    expect(missing.status).toBe(403);
    expect(missing.headers.get("x-key-code")).toBe("INSUFFICIENT_PERMISSIONS");
  });

  it("requires the ?environment= of the auth URL", async () => {
    const apiId = await createApi();
    const { key: live } = await createKey(apiId, { environment: "production" });
    const { key: test } = await createKey(apiId, { environment: "test" });
    expect((await gateway(apiId, { query: "environment=production", headers: apiKey(live) })).status).toBe(200);
    const wrong = await gateway(apiId, { query: "environment=production", headers: apiKey(test) });
    expect(wrong.status).toBe(403);
    expect(wrong.headers.get("x-key-code")).toBe("FORBIDDEN");
  });

  it("takes options in a path prefix ending in `&`, the way Envoy's path_prefix can carry them", async () => {
    const { apiId, key } = await apiWithKey({ permissions: ["orders.read"] });
    // Envoy sends path_prefix + the original path: "/v1/gateway/<api>?permission=orders.read&" + "/orders?id=1".
    expect((await gateway(apiId, { query: "permission=orders.read&/orders?id=1", headers: apiKey(key) })).status).toBe(200);
    expect((await gateway(apiId, { query: "permission=orders.write&/orders?id=1", headers: apiKey(key) })).status).toBe(403);
  });

  it("accepts a key inside its IP allowlist by the proxy's X-Real-IP, first X-Forwarded-For hop or CF-Connecting-IP", async () => {
    const { apiId, key } = await apiWithKey({ ipAllowlist: ["10.0.0.0/8", "2001:db8::/32"] });
    expect((await gateway(apiId, { headers: { ...apiKey(key), ...fromProxy({ "x-real-ip": "10.1.2.3" }) } })).status).toBe(200);
    expect((await gateway(apiId, { headers: { ...apiKey(key), ...fromProxy({ "x-forwarded-for": "10.1.2.3, 192.0.2.1" }) } })).status).toBe(200);
    expect((await gateway(apiId, { headers: { ...apiKey(key), ...fromProxy({ "x-forwarded-for": "2001:db8::1" }) } })).status).toBe(200);
    expect((await gateway(apiId, { headers: { ...apiKey(key), ...fromProxy({ "cf-connecting-ip": "10.9.9.9" }) } })).status).toBe(200);
  });
});

describe("gateway: read and write limits by the original method", () => {
  const readWrite = {
    ratelimits: [
      { name: "read", limit: 3, duration: minute },
      { name: "write", limit: 1, duration: minute },
    ],
  };

  it("counts GET, HEAD and OPTIONS against `read`, every other method against `write`", async () => {
    const { apiId, key } = await apiWithKey(readWrite);
    for (const method of ["GET", "HEAD", "OPTIONS"]) expect((await gateway(apiId, { method, headers: apiKey(key) })).status).toBe(200);
    expect((await gateway(apiId, { method: "GET", headers: apiKey(key) })).status).toBe(429);
    expect((await gateway(apiId, { method: "POST", headers: apiKey(key) })).status).toBe(200);
    expect((await gateway(apiId, { method: "DELETE", headers: apiKey(key) })).status).toBe(429);
  });

  it("takes the original method from X-Forwarded-Method, else X-Original-Method, over its own", async () => {
    const { apiId, key } = await apiWithKey(readWrite);
    // Caddy and Traefik ask with GET and name the original method in X-Forwarded-Method.
    expect((await gateway(apiId, { method: "GET", headers: { ...apiKey(key), "x-forwarded-method": "POST" } })).status).toBe(200);
    const second = await gateway(apiId, { method: "GET", headers: { ...apiKey(key), "x-original-method": "PUT" } });
    expect(second.status).toBe(429);
    expect(second.headers.get("ratelimit-limit")).toBe("1");
    expect((await gateway(apiId, { method: "POST", headers: { ...apiKey(key), "x-forwarded-method": "get" } })).status).toBe(200);
  });

  it("applies them on top of the key's default limit", async () => {
    const { apiId, key } = await apiWithKey({ ratelimit: { limit: 2, duration: minute }, ratelimits: [{ name: "read", limit: 10, duration: minute }] });
    expect((await gateway(apiId, { headers: apiKey(key) })).status).toBe(200);
    const second = await gateway(apiId, { headers: apiKey(key) });
    expect(second.headers.get("ratelimit-limit")).toBe("2");
    expect(second.headers.get("ratelimit-remaining")).toBe("0");
    expect((await gateway(apiId, { headers: apiKey(key) })).status).toBe(429);
  });

  it("leaves a key without them to its default limit only", async () => {
    const { apiId, key } = await apiWithKey({ ratelimit: { limit: 3, duration: minute } });
    for (const method of ["GET", "POST", "PUT"]) expect((await gateway(apiId, { method, headers: apiKey(key) })).status).toBe(200);
    expect((await gateway(apiId, { method: "GET", headers: apiKey(key) })).status).toBe(429);
  });

  it("uses the identity's `write` limit, shared by all its keys", async () => {
    const externalId = `org_gw_${crypto.randomUUID()}`;
    const created = await post("/v1/identities.createIdentity", { externalId, ratelimits: [{ name: "write", limit: 2, duration: minute }] });
    expect(created.status).toBe(200);
    const apiId = await createApi();
    const { key: first } = await createKey(apiId, { externalId });
    const { key: second } = await createKey(apiId, { externalId });
    expect((await gateway(apiId, { method: "POST", headers: apiKey(first) })).status).toBe(200);
    expect((await gateway(apiId, { method: "POST", headers: apiKey(second) })).status).toBe(200);
    expect((await gateway(apiId, { method: "POST", headers: apiKey(first) })).status).toBe(429);
    // Reads have no limit of their own here.
    expect((await gateway(apiId, { method: "GET", headers: apiKey(second) })).status).toBe(200);
  });
});
