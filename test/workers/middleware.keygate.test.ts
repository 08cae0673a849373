import { SELF } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { keygate, type KeygateOptions, type KeygateVariables } from "../../src/middleware/keygate";
import { apiWithKey, verify } from "../helpers/harness";

const minute = 60_000;

/**
 * Another Worker's app guarded by the middleware. Its KEYGATE binding is SELF: a real service
 * binding (a Fetcher) to the Keygate Worker under test.
 */
function consumer(options: Omit<KeygateOptions, "binding" | "baseUrl"> & Partial<KeygateOptions>, keygateService: Fetcher = SELF) {
  const app = new Hono<{ Bindings: { KEYGATE: Fetcher }; Variables: KeygateVariables }>();
  app.use("/orders/*", keygate({ binding: options.baseUrl ? undefined : "KEYGATE", ...options }));
  app.all("/orders/*", (c) => c.json({ method: c.req.method, identity: c.get("keygate") }));
  return (path: string, init: RequestInit = {}) => app.request(path, init, { KEYGATE: keygateService });
}

describe("keygate() Hono middleware", () => {
  it("runs the route with the key's identity on c.get('keygate')", async () => {
    const { apiId, keyId, key } = await apiWithKey({ externalId: "user_mw_1", meta: { plan: "pro" }, permissions: ["orders.read"], remaining: 10 });
    const res = await consumer({ apiId })("/orders/1", { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.identity).toMatchObject({ keyId, ownerId: "user_mw_1", meta: { plan: "pro" }, permissions: ["orders.read"], remaining: 9 });
  });

  it("answers 401 itself for a missing or unknown key, and the route never runs", async () => {
    const { apiId } = await apiWithKey();
    const call = consumer({ apiId });
    const missing = await call("/orders/1");
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toContain("Bearer");
    expect(((await missing.json()) as any).code).toBe("UNAUTHORIZED");
    const unknown = await call("/orders/1", { headers: { "x-api-key": "sk_never_issued_middleware_1" } });
    expect([unknown.status, unknown.headers.get("x-key-code")]).toEqual([401, "NOT_FOUND"]);
  });

  it("answers 403 for a missing permission and 429 with Retry-After when rate limited", async () => {
    const { apiId, key } = await apiWithKey({ permissions: ["orders.read"], ratelimits: [{ name: "write", limit: 1, duration: minute }] });
    const forbidden = await consumer({ apiId, permissions: ["orders.delete"] })("/orders/1", { headers: { "x-api-key": key } });
    expect([forbidden.status, forbidden.headers.get("x-key-code")]).toEqual([403, "INSUFFICIENT_PERMISSIONS"]);

    // The request's own method picks the key's `write` limit.
    const call = consumer({ apiId, permissions: ["orders.read"] });
    expect((await call("/orders/1", { method: "POST", headers: { "x-api-key": key } })).status).toBe(200);
    expect((await call("/orders/1", { method: "GET", headers: { "x-api-key": key } })).status).toBe(200);
    const limited = await call("/orders/1", { method: "POST", headers: { "x-api-key": key } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");
  });

  it("passes the client's address for the key's IP allowlist, and refuses a restricted key without one", async () => {
    const { apiId, key } = await apiWithKey({ ipAllowlist: ["10.0.0.0/8"] });
    const call = consumer({ apiId });
    expect((await call("/orders/1", { headers: { "x-api-key": key, "cf-connecting-ip": "10.1.2.3" } })).status).toBe(200);
    expect((await call("/orders/1", { headers: { "x-api-key": key, "cf-connecting-ip": "192.0.2.1" } })).status).toBe(403);
    expect((await call("/orders/1", { headers: { "x-api-key": key } })).status).toBe(403);
  });

  it("reads the key only from the configured header", async () => {
    const { apiId, key } = await apiWithKey();
    const call = consumer({ apiId, header: "x-customer-key" });
    expect((await call("/orders/1", { headers: { "x-customer-key": key } })).status).toBe(200);
    expect((await call("/orders/1", { headers: { "x-api-key": key } })).status).toBe(401);
  });

  it("fails closed with 503 when Keygate is unreachable, errs, or answers nonsense", async () => {
    const { apiId, key } = await apiWithKey({ remaining: 5 });
    const headers = { "x-api-key": key };
    const keygateAnswering = (response: () => Response): Fetcher => ({ fetch: async () => response() }) as unknown as Fetcher;
    const cases: [string, ReturnType<typeof consumer>][] = [
      ["a closed port", consumer({ apiId, baseUrl: "http://127.0.0.1:9" })],
      ["a throwing binding", consumer({ apiId }, { fetch: async () => Promise.reject(new Error("down")) } as unknown as Fetcher)],
      ["a 500", consumer({ apiId }, keygateAnswering(() => new Response("boom", { status: 500 })))],
      ["a 503", consumer({ apiId }, keygateAnswering(() => Response.json({ code: "SERVICE_UNAVAILABLE" }, { status: 503 })))],
      ["a 404", consumer({ apiId }, keygateAnswering(() => new Response("not found", { status: 404 })))],
      ["a 200 that is not JSON", consumer({ apiId }, keygateAnswering(() => new Response("<html>")))],
      ["a 200 without a key", consumer({ apiId }, keygateAnswering(() => Response.json({})))],
    ];
    for (const [what, call] of cases) {
      const res = await call("/orders/1", { headers });
      expect(res.status, what).toBe(503);
      expect(((await res.json()) as any).code, what).toBe("SERVICE_UNAVAILABLE");
    }
    // A missing binding is a 503 too, not an exception.
    const app = new Hono().use(keygate({ binding: "MISSING", apiId })).get("/", (c) => c.text("reached"));
    expect((await app.request("/", { headers }, {})).status).toBe(503);
    // None of those reached the key.
    expect(await verify(key, { remaining: { cost: 0 } })).toMatchObject({ remaining: 5 });
  });

  it("needs exactly one of binding and baseUrl", () => {
    expect(() => keygate({ apiId: "api_1" })).toThrow(/binding/);
    expect(() => keygate({ apiId: "api_1", binding: "KEYGATE", baseUrl: "https://keygate.example.com" })).toThrow(/binding/);
  });
});
