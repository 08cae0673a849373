import { randomBytes } from "node:crypto";
import { type KeygateVariables, keygate } from "@keygate/hono";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, useDevServer } from "./helpers/devServer";
import { type RunningProxy, renderExample, startCaddy, startNginx, startUpstream } from "./helpers/proxies";

/**
 * Real nginx and real Caddy, configured from the shipped examples, between a client and a
 * recording upstream, asking a real `wrangler dev`. Needs `nginx` and `caddy` on PATH.
 */
const proxySecret = randomBytes(32).toString("hex");
const server = useDevServer({ secrets: { GATEWAY_PROXY_SECRET: proxySecret } });
const minute = 60_000;

let apiId: string;
let upstream: Awaited<ReturnType<typeof startUpstream>>;
const proxies: Record<"nginx" | "caddy", RunningProxy | undefined> = { nginx: undefined, caddy: undefined };

async function management(path: string, body: unknown) {
  const res = await fetch(`${server().baseUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${server().rootKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as any;
}

const createKey = (extra: Record<string, unknown> = {}): Promise<{ keyId: string; key: string }> => management("/v1/keys.createKey", { apiId, ...extra });

beforeAll(async () => {
  ({ apiId } = await management("/v1/apis.createApi", { name: "gateway-e2e" }));
  upstream = await startUpstream();
  const keygateAddress = new URL(server().baseUrl).host;
  const common = {
    api_REPLACE_ME: apiId,
    proxy_secret_REPLACE_ME: proxySecret,
    "127.0.0.1:8787": keygateAddress,
    "127.0.0.1:3000": `127.0.0.1:${upstream.port}`,
  };

  const nginxPort = await freePort();
  const nginxConf = await renderExample("examples/nginx/nginx.conf", { ...common, "listen 8080;": `listen 127.0.0.1:${nginxPort};` });
  proxies.nginx = await startNginx(nginxConf, nginxPort);

  const caddyPort = await freePort();
  const caddyfile = await renderExample("examples/caddy/Caddyfile", { ...common, ":8080 {": `:${caddyPort} {\n\tbind 127.0.0.1` });
  proxies.caddy = await startCaddy(`{\n\tadmin off\n\tauto_https off\n}\n\n${caddyfile}`, caddyPort);
});

afterAll(async () => {
  await proxies.nginx?.stop();
  await proxies.caddy?.stop();
  await upstream?.stop();
});

describe.each(["nginx", "caddy"] as const)("%s in front of Keygate, as shipped in examples/", (name) => {
  const through = async (path: string, init: RequestInit = {}) => {
    const before = upstream.received.length;
    const res = await fetch(`${proxies[name]!.baseUrl}${path}`, init);
    const body = await res.text();
    return { status: res.status, headers: res.headers, body, reachedUpstream: upstream.received.length > before };
  };

  it("lets a good key through, with its identity in headers for the upstream", async () => {
    const { keyId, key } = await createKey({
      name: "Zoë's key",
      externalId: `user_${name}`,
      meta: { plan: "pro" },
      permissions: ["orders.read"],
      remaining: 100,
    });
    const res = await through("/orders/1?expand=items", { headers: { "x-api-key": key } });
    expect(res.status).toBe(200);
    expect(res.body).toBe('{"upstream":true}');
    const seen = upstream.last()!;
    expect(seen.method).toBe("GET");
    expect(seen.url).toBe("/orders/1?expand=items");
    expect(seen.headers).toMatchObject({
      "x-key-id": keyId,
      "x-key-owner": `user_${name}`,
      "x-key-name": "Zo%C3%AB's key",
      "x-key-permissions": "orders.read",
      "x-key-meta": '{"plan":"pro"}',
      "x-key-remaining": "99",
    });
  });

  it("never lets the client supply identity headers", async () => {
    const { key } = await createKey();
    const res = await through("/orders/1", {
      headers: { "x-api-key": key, "x-key-owner": "admin", "x-key-permissions": "admin", "ratelimit-remaining": "999" },
    });
    expect(res.status).toBe(200);
    const seen = upstream.last()!;
    for (const header of ["x-key-owner", "x-key-permissions", "ratelimit-remaining"]) expect(seen.headers[header] ?? "", header).toBe("");
  });

  it("refuses a missing or unknown key with 401, and the upstream never sees the request", async () => {
    const missing = await through("/orders/1");
    expect([missing.status, missing.reachedUpstream]).toEqual([401, false]);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="keygate"');
    const unknown = await through("/orders/1", { headers: { authorization: "Bearer sk_never_issued_e2e_gateway" } });
    expect([unknown.status, unknown.reachedUpstream, unknown.headers.get("x-key-code")]).toEqual([401, false, "NOT_FOUND"]);
  });

  it("answers 429 with Retry-After to a rate-limited key and to a key out of credits", async () => {
    const limited = await createKey({ ratelimit: { limit: 1, duration: minute } });
    expect((await through("/orders/1", { headers: { "x-api-key": limited.key } })).status).toBe(200);
    const res = await through("/orders/1", { headers: { "x-api-key": limited.key } });
    expect([res.status, res.reachedUpstream, res.headers.get("x-key-code")]).toEqual([429, false, "RATE_LIMITED"]);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(res.headers.get("ratelimit-remaining")).toBe("0");

    const spent = await createKey({ remaining: 0, refill: { interval: "daily", amount: 10 } });
    const empty = await through("/orders/1", { headers: { "x-api-key": spent.key } });
    expect([empty.status, empty.reachedUpstream, empty.headers.get("x-key-code")]).toEqual([429, false, "USAGE_EXCEEDED"]);
    expect(Number(empty.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("counts reads and writes against the key's `read` and `write` limits by the client's method", async () => {
    const { key } = await createKey({
      ratelimits: [
        { name: "read", limit: 2, duration: minute },
        { name: "write", limit: 1, duration: minute },
      ],
    });
    const headers = { "x-api-key": key, "content-type": "application/json" };
    expect((await through("/orders", { method: "POST", headers, body: "{}" })).status).toBe(200);
    expect((await through("/orders", { method: "PUT", headers, body: "{}" })).status).toBe(429);
    expect((await through("/orders/1", { headers })).status).toBe(200);
    expect((await through("/orders/1", { headers })).status).toBe(200);
    expect((await through("/orders/1", { headers })).status).toBe(429);
  });

  it("requires the permission its configuration gives a route", async () => {
    const reader = await createKey({ permissions: ["orders.read"] });
    const admin = await createKey({ permissions: ["admin"] });
    const denied = await through("/admin/users", { headers: { "x-api-key": reader.key } });
    expect([denied.status, denied.reachedUpstream, denied.headers.get("x-key-code")]).toEqual([403, false, "INSUFFICIENT_PERMISSIONS"]);
    expect((await through("/admin/users", { headers: { "x-api-key": admin.key } })).status).toBe(200);
  });

  it("checks IP allowlists against the address the gateway saw, not one the client claims", async () => {
    const local = await createKey({ ipAllowlist: ["127.0.0.1"] });
    const allowed = await through("/orders/1", { headers: { "x-api-key": local.key } });
    expect([allowed.status, allowed.reachedUpstream]).toEqual([200, true]);
    // The secret goes to Keygate only.
    expect(upstream.last()!.headers["x-keygate-proxy-secret"]).toBeUndefined();
    const elsewhere = await createKey({ ipAllowlist: ["10.0.0.0/8"] });
    const spoofed = { "x-api-key": elsewhere.key, "x-real-ip": "10.0.0.1", "x-forwarded-for": "10.0.0.1", "x-keygate-proxy-secret": "guessed" };
    const res = await through("/orders/1", { headers: spoofed });
    expect([res.status, res.reachedUpstream, res.headers.get("x-key-code")]).toEqual([403, false, "FORBIDDEN"]);
  });

  it("passes the request body through to the upstream untouched", async () => {
    const { key } = await createKey();
    const body = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ sku: `sku-${i}` })) });
    const res = await through("/orders", { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" }, body });
    expect(res.status).toBe(200);
    expect(upstream.last()).toMatchObject({ method: "POST", url: "/orders", body });
  });
});

describe("Keygate asked directly, without the gateway's secret", () => {
  it("ignores the client's claimed address: an IP-restricted key is refused as CLIENT_ADDRESS_UNKNOWN", async () => {
    const local = await createKey({ ipAllowlist: ["127.0.0.1"] });
    for (const secret of [undefined, "guessed"]) {
      const headers: Record<string, string> = { "x-api-key": local.key, "x-real-ip": "127.0.0.1", "x-forwarded-for": "127.0.0.1" };
      if (secret) headers["x-keygate-proxy-secret"] = secret;
      const res = await fetch(`${server().baseUrl}/v1/gateway/${apiId}/orders/1`, { headers });
      expect([res.status, res.headers.get("x-key-code")], String(secret)).toEqual([403, "CLIENT_ADDRESS_UNKNOWN"]);
    }
  });
});

describe("keygate() Hono middleware over a base URL", () => {
  const app = (options: { proxySecret?: string } = {}) => {
    const hono = new Hono<{ Variables: KeygateVariables }>();
    hono.use("/orders/*", keygate({ baseUrl: server().baseUrl, apiId, ...options }));
    hono.get("/orders/:id", (c) => c.json({ keyId: c.get("keygate").keyId, remaining: c.get("keygate").remaining }));
    return hono;
  };

  it("runs the route for a good key and refuses a bad one", async () => {
    const { keyId, key } = await createKey({ remaining: 3 });
    const allowed = await app().request("/orders/1", { headers: { authorization: `Bearer ${key}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ keyId, remaining: 2 });
    const refused = await app().request("/orders/1", { headers: { authorization: "Bearer sk_never_issued_e2e_mw" } });
    expect(refused.status).toBe(401);
  });

  it("has the client's address believed only with proxySecret", async () => {
    const { key } = await createKey({ ipAllowlist: ["10.1.2.3"] });
    const request = { headers: { "x-api-key": key, "cf-connecting-ip": "10.1.2.3" } };
    expect((await app({ proxySecret }).request("/orders/1", request)).status).toBe(200);
    const refused = await app().request("/orders/1", request);
    expect([refused.status, refused.headers.get("x-key-code")]).toEqual([403, "CLIENT_ADDRESS_UNKNOWN"]);
  });
});
