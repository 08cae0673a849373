import { env, SELF } from "cloudflare:test";
import { type KeygateOptions, type KeygateVariables, keygate } from "@keygate/hono";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { verifyAnswerSchema } from "../../src/surfaces/verifyAnswer";
import { PROXY_SECRET } from "../helpers/gateway";
import { apiWithKey, verify } from "../helpers/harness";

const minute = 60_000;

/** A client of test/fixtures/protected-worker.ts, a separate Worker bound to Keygate. */
function protectedWorker(path: string, init: RequestInit = {}) {
  return env.PROTECTED_WORKER.fetch(new URL(path, "https://orders.example"), init);
}

describe("a second Worker guarded by keygate() through a service binding", () => {
  it("serves its open route without a key", async () => {
    const res = await protectedWorker("/");
    expect([res.status, await res.text()]).toEqual([200, "open to all"]);
  });

  it("runs the route with the key's identity on c.get('keygate')", async () => {
    const { apiId, keyId, key } = await apiWithKey({ externalId: "user_mw_1", meta: { plan: "pro" }, permissions: ["orders.read"], remaining: 10 });
    const res = await protectedWorker(`/apis/${apiId}/orders/1`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.identity).toMatchObject({ keyId, ownerId: "user_mw_1", meta: { plan: "pro" }, permissions: ["orders.read"], remaining: 9 });
  });

  it("hands the route exactly the verify answer its KeygateResult type is inferred from", async () => {
    const { apiId, keyId, key } = await apiWithKey({ externalId: "user_mw_2", remaining: 3, ratelimits: [{ name: "read", limit: 5, duration: minute }] });
    const res = await protectedWorker(`/apis/${apiId}/orders/1`, { headers: { "x-api-key": key } });
    const { identity } = (await res.json()) as any;
    // No field outside the schema, each of the type it declares: the type cannot drift from what Keygate sends.
    expect(verifyAnswerSchema.strict().safeParse(identity).error).toBeUndefined();
    expect(identity).toMatchObject({ keyId, valid: true, code: "VALID", ownerId: "user_mw_2", remaining: 2 });
  });

  it("answers 401 itself for a missing or unknown key, and the route never runs", async () => {
    const { apiId } = await apiWithKey();
    const missing = await protectedWorker(`/apis/${apiId}/orders/1`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toContain("Bearer");
    expect(((await missing.json()) as any).code).toBe("UNAUTHORIZED");
    const unknown = await protectedWorker(`/apis/${apiId}/orders/1`, { headers: { "x-api-key": "sk_never_issued_middleware_1" } });
    expect([unknown.status, unknown.headers.get("x-key-code")]).toEqual([401, "NOT_FOUND"]);
  });

  it("answers 403 when the route's permission is missing", async () => {
    const reader = await apiWithKey({ permissions: ["orders.read"] });
    const forbidden = await protectedWorker(`/apis/${reader.apiId}/orders/1`, { method: "DELETE", headers: { "x-api-key": reader.key } });
    expect([forbidden.status, forbidden.headers.get("x-key-code")]).toEqual([403, "INSUFFICIENT_PERMISSIONS"]);
    const deleter = await apiWithKey({ permissions: ["orders.delete"] });
    expect((await protectedWorker(`/apis/${deleter.apiId}/orders/1`, { method: "DELETE", headers: { "x-api-key": deleter.key } })).status).toBe(200);
  });

  it("answers 429 with Retry-After when the key is rate limited", async () => {
    const { apiId, key } = await apiWithKey({ ratelimits: [{ name: "write", limit: 1, duration: minute }] });
    const order = (method: string) => protectedWorker(`/apis/${apiId}/orders/1`, { method, headers: { "x-api-key": key } });
    // The client's method reaches Keygate and picks the key's `write` limit.
    expect((await order("POST")).status).toBe(200);
    expect((await order("GET")).status).toBe(200);
    const limited = await order("POST");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");
  });

  it("passes the client's address with its proxy secret for the key's IP allowlist, and refuses a restricted key without one", async () => {
    const { apiId, key } = await apiWithKey({ ipAllowlist: ["10.0.0.0/8"] });
    const from = async (headers: Record<string, string>) => {
      const res = await protectedWorker(`/apis/${apiId}/orders/1`, { headers: { "x-api-key": key, ...headers } });
      return [res.status, res.headers.get("x-key-code")];
    };
    expect(await from({ "cf-connecting-ip": "10.1.2.3" })).toEqual([200, null]);
    expect(await from({ "cf-connecting-ip": "192.0.2.1" })).toEqual([403, "FORBIDDEN"]);
    expect(await from({})).toEqual([403, "CLIENT_ADDRESS_UNKNOWN"]);
  });

  it("fails closed with 503 when Keygate is unreachable", async () => {
    const { apiId, key } = await apiWithKey({ remaining: 5 });
    const res = await protectedWorker(`/unreachable/apis/${apiId}/orders/1`, { headers: { "x-api-key": key } });
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).code).toBe("SERVICE_UNAVAILABLE");
    expect(await verify(key, { remaining: { cost: 0 } })).toMatchObject({ remaining: 5 });
  });
});

/** The middleware in this Worker, for options and answers the second Worker does not set up. */
function consumer(options: Omit<KeygateOptions, "binding" | "baseUrl">, keygateService: Fetcher = SELF) {
  const app = new Hono<{ Bindings: { KEYGATE: Fetcher }; Variables: KeygateVariables }>();
  app.get("/orders/:id", keygate({ binding: "KEYGATE", ...options }), (c) => c.json({ identity: c.get("keygate") }));
  return (path: string, init: RequestInit = {}) => app.request(path, init, { KEYGATE: keygateService });
}

describe("keygate() options and failure answers", () => {
  it("sends proxySecret, without which Keygate ignores the client's address", async () => {
    const { apiId, key } = await apiWithKey({ ipAllowlist: ["10.0.0.0/8"] });
    const fromAllowedAddress = { "x-api-key": key, "cf-connecting-ip": "10.1.2.3" };
    expect((await consumer({ apiId, proxySecret: PROXY_SECRET })("/orders/1", { headers: fromAllowedAddress })).status).toBe(200);
    for (const proxySecret of [undefined, "not-the-secret"]) {
      const res = await consumer({ apiId, proxySecret })("/orders/1", { headers: fromAllowedAddress });
      expect([res.status, res.headers.get("x-key-code")], String(proxySecret)).toEqual([403, "CLIENT_ADDRESS_UNKNOWN"]);
    }
    // A key without an allowlist needs no secret.
    const open = await apiWithKey();
    expect((await consumer({ apiId: open.apiId })("/orders/1", { headers: { "x-api-key": open.key } })).status).toBe(200);
  });

  it("reads the key only from the configured header", async () => {
    const { apiId, key } = await apiWithKey();
    const call = consumer({ apiId, header: "x-customer-key" });
    expect((await call("/orders/1", { headers: { "x-customer-key": key } })).status).toBe(200);
    expect((await call("/orders/1", { headers: { "x-api-key": key } })).status).toBe(401);
  });

  it("fails closed with 503 when Keygate errs or answers nonsense", async () => {
    const { apiId, key } = await apiWithKey({ remaining: 5 });
    const headers = { "x-api-key": key };
    const keygateAnswering = (response: () => Response): Fetcher => ({ fetch: async () => response() }) as unknown as Fetcher;
    const cases: [string, Fetcher][] = [
      ["a throwing binding", { fetch: async () => Promise.reject(new Error("down")) } as unknown as Fetcher],
      ["a 500", keygateAnswering(() => new Response("boom", { status: 500 }))],
      ["a 503", keygateAnswering(() => Response.json({ code: "SERVICE_UNAVAILABLE" }, { status: 503 }))],
      ["a 404", keygateAnswering(() => new Response("not found", { status: 404 }))],
      ["a 200 that is not JSON", keygateAnswering(() => new Response("<html>"))],
      ["a 200 without a key", keygateAnswering(() => Response.json({}))],
    ];
    for (const [what, service] of cases) {
      const res = await consumer({ apiId }, service)("/orders/1", { headers });
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
