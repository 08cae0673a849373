import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expireKey } from "../helpers/dialects";
import { brokenD1, brokenDurableObjects, brokenKv, fetchWith } from "../helpers/faults";
import { apiKey, fromProxy, gateway, IDENTITY_HEADERS, nginx } from "../helpers/gateway";
import { apiWithKey, createApi, post } from "../helpers/harness";

const minute = 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;

describe("gateway: 401 for a missing or unusable key", () => {
  it("is 401 UNAUTHORIZED with WWW-Authenticate when no key is sent", async () => {
    const apiId = await createApi();
    const noKey: Record<string, string>[] = [{}, { authorization: "Basic dXNlcjpwYXNz" }, { authorization: "Bearer " }, { "x-api-key": "  " }];
    for (const headers of noKey) {
      const res = await gateway(apiId, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="keygate"');
      expect(res.headers.get("x-key-code")).toBe("UNAUTHORIZED");
      expect(res.body).toEqual({ code: "UNAUTHORIZED", message: expect.any(String), requestId: expect.stringMatching(/^req_/) });
    }
  });

  it("is 401 NOT_FOUND for a key never issued", async () => {
    const res = await gateway(await createApi(), { headers: apiKey("sk_never_issued_gateway_0001") });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="keygate", error="invalid_token"');
    expect(res.headers.get("x-key-code")).toBe("NOT_FOUND");
    expect(res.body.code).toBe("NOT_FOUND");
  });

  it("is 401 EXPIRED for an expired key and 401 DISABLED for a disabled one", async () => {
    const expired = await apiWithKey({ expires: Date.now() + minute });
    await expireKey(expired.keyId);
    const res = await gateway(expired.apiId, { headers: apiKey(expired.key) });
    expect([res.status, res.headers.get("x-key-code")]).toEqual([401, "EXPIRED"]);

    const disabled = await apiWithKey();
    expect((await post("/v1/keys.updateKey", { keyId: disabled.keyId, enabled: false })).status).toBe(200);
    const off = await gateway(disabled.apiId, { headers: apiKey(disabled.key) });
    expect([off.status, off.headers.get("x-key-code")]).toEqual([401, "DISABLED"]);
    expect(off.headers.get("www-authenticate")).toContain("Bearer");
  });
});

describe("gateway: 403 for a key that may not make this request", () => {
  it("is 403 FORBIDDEN for a key of another api", async () => {
    const { key } = await apiWithKey();
    const res = await gateway(await createApi("other"), { headers: apiKey(key) });
    expect([res.status, res.headers.get("x-key-code"), res.body.code]).toEqual([403, "FORBIDDEN", "FORBIDDEN"]);
    expect(res.headers.get("www-authenticate")).toBeNull();
  });

  it("is 403 FORBIDDEN from an address outside the key's allowlist", async () => {
    const { apiId, key } = await apiWithKey({ ipAllowlist: ["10.0.0.0/8"] });
    const outside: Record<string, string>[] = [{ "x-real-ip": "192.0.2.1" }, { "x-forwarded-for": "192.0.2.1, 10.0.0.1" }, { "cf-connecting-ip": "192.0.2.1" }];
    for (const address of outside) {
      const res = await gateway(apiId, { headers: { ...apiKey(key), ...fromProxy(address) } });
      expect([res.status, res.headers.get("x-key-code")], JSON.stringify(address)).toEqual([403, "FORBIDDEN"]);
    }
  });

  it("is 403 CLIENT_ADDRESS_UNKNOWN when the proxy sends no address, or none that parses", async () => {
    const { apiId, key } = await apiWithKey({ ipAllowlist: ["10.0.0.0/8"] });
    const unreadable: Record<string, string>[] = [{}, { "x-real-ip": "not-an-address" }, { "x-forwarded-for": "" }];
    for (const address of unreadable) {
      const res = await gateway(apiId, { headers: { ...apiKey(key), ...fromProxy(address) } });
      expect([res.status, res.headers.get("x-key-code"), res.body.code], JSON.stringify(address)).toEqual([
        403,
        "CLIENT_ADDRESS_UNKNOWN",
        "CLIENT_ADDRESS_UNKNOWN",
      ]);
    }
  });

  it("is 403 INSUFFICIENT_PERMISSIONS when the key lacks a required permission", async () => {
    const { apiId, key } = await apiWithKey({ permissions: ["orders.read"] });
    const res = await gateway(apiId, { query: "permission=orders.write", headers: apiKey(key) });
    expect([res.status, res.body.code]).toEqual([403, "INSUFFICIENT_PERMISSIONS"]);
  });
});

describe("gateway: 429 for an exhausted key", () => {
  it("is 429 RATE_LIMITED with Retry-After and RateLimit-* headers", async () => {
    const { apiId, key } = await apiWithKey({ ratelimit: { limit: 1, duration: minute } });
    expect((await gateway(apiId, { headers: apiKey(key) })).status).toBe(200);
    const res = await gateway(apiId, { headers: apiKey(key) });
    expect(res.status).toBe(429);
    expect(res.headers.get("x-key-code")).toBe("RATE_LIMITED");
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(61);
    expect(res.headers.get("ratelimit-limit")).toBe("1");
    expect(res.headers.get("ratelimit-remaining")).toBe("0");
    expect(res.body).toEqual({ code: "RATE_LIMITED", message: expect.any(String), requestId: expect.any(String) });
  });

  it("is 429 USAGE_EXCEEDED without credits, with Retry-After until the next refill", async () => {
    const { apiId, key } = await apiWithKey({ remaining: 1, refill: { interval: "daily", amount: 5 } });
    expect((await gateway(apiId, { headers: apiKey(key) })).status).toBe(200);
    const res = await gateway(apiId, { headers: apiKey(key) });
    expect([res.status, res.headers.get("x-key-code")]).toEqual([429, "USAGE_EXCEEDED"]);
    const untilMidnight = Math.ceil((Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS - Date.now()) / 1000);
    expect(Math.abs(Number(res.headers.get("retry-after")) - untilMidnight)).toBeLessThanOrEqual(5);
  });

  it("sends no Retry-After when the credits never come back", async () => {
    const { apiId, key } = await apiWithKey({ remaining: 0 });
    const res = await gateway(apiId, { headers: apiKey(key) });
    expect([res.status, res.headers.get("x-key-code"), res.headers.get("retry-after")]).toEqual([429, "USAGE_EXCEEDED", null]);
  });
});

describe("gateway: behind nginx auth_request (X-Original-URI, no X-Forwarded-Uri)", () => {
  it("answers a rate-limited key 403 with X-Key-Code RATE_LIMITED and Retry-After", async () => {
    const { apiId, key } = await apiWithKey({ ratelimit: { limit: 1, duration: minute } });
    expect((await gateway(apiId, { headers: nginx(key) })).status).toBe(200);
    const res = await gateway(apiId, { headers: nginx(key) });
    expect(res.status).toBe(403);
    expect(res.headers.get("x-key-code")).toBe("RATE_LIMITED");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("answers a key out of credits 403 with X-Key-Code USAGE_EXCEEDED", async () => {
    const { apiId, key } = await apiWithKey({ remaining: 0 });
    const res = await gateway(apiId, { headers: nginx(key) });
    expect([res.status, res.headers.get("x-key-code")]).toEqual([403, "USAGE_EXCEEDED"]);
  });

  it("keeps 401 and 403 as they are, and turns a bad auth URL into 403", async () => {
    const { apiId, key } = await apiWithKey({ permissions: ["a"] });
    expect((await gateway(apiId, { headers: nginx("sk_never_issued_gateway_0002") })).status).toBe(401);
    expect((await gateway(apiId, { query: "permission=b", headers: nginx(key) })).status).toBe(403);
    const bad = await gateway(apiId, { query: "header=not%20a%20header", headers: nginx(key) });
    expect([bad.status, bad.headers.get("x-key-code")]).toEqual([403, "BAD_REQUEST"]);
  });

  it("is a plain 429 when X-Forwarded-Uri is also present (Caddy, Traefik)", async () => {
    const { apiId, key } = await apiWithKey({ remaining: 0 });
    const res = await gateway(apiId, { headers: { ...nginx(key), "x-forwarded-uri": "/orders/1" } });
    expect(res.status).toBe(429);
  });
});

describe("gateway: a bad auth URL is a 400", () => {
  it.each([
    ["a header option that is not a header name", "header=x%20api%20key"],
    ["more than 20 permissions", Array.from({ length: 21 }, (_, i) => `permission=p${i}`).join("&")],
    ["a permission longer than 256 characters", `permission=${"p".repeat(257)}`],
    ["an environment longer than 256 characters", `environment=${"e".repeat(257)}`],
  ])("refuses %s", async (_, query) => {
    const { apiId, key } = await apiWithKey();
    const res = await gateway(apiId, { query, headers: apiKey(key) });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-key-code")).toBe("BAD_REQUEST");
    expect(res.body).toEqual({ code: "BAD_REQUEST", message: expect.any(String), requestId: expect.any(String) });
  });
});

describe("gateway: a dependency failure fails closed", () => {
  const ask = (overrides: Partial<typeof env>, apiId: string, headers: Record<string, string>) =>
    fetchWith(overrides, `/v1/gateway/${apiId}/orders`, { headers });

  it("is 503 SERVICE_UNAVAILABLE, never 200, when the key's Durable Object fails", async () => {
    const { apiId, key } = await apiWithKey();
    const res = await ask({ KEY_STATE: brokenDurableObjects(env.KEY_STATE) }, apiId, apiKey(key));
    expect(res.status).toBe(503);
    expect(res.headers.get("x-key-code")).toBe("SERVICE_UNAVAILABLE");
    expect(((await res.json()) as any).code).toBe("SERVICE_UNAVAILABLE");
    for (const name of IDENTITY_HEADERS) expect(res.headers.get(name)).toBeNull();
  });

  it("is 503 when D1 and KV fail for a key not cached, and stays 503 under nginx (which then fails closed)", async () => {
    const { apiId, key } = await apiWithKey();
    const broken = { DB: brokenD1(), KEY_CACHE: brokenKv() };
    expect((await ask(broken, apiId, apiKey(key))).status).toBe(503);
    expect((await ask(broken, apiId, nginx(key))).status).toBe(503);
  });
});
