import { env, SELF } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { brokenD1, brokenDurableObjects, brokenKv, fetchWith } from "../helpers/faults";
import { fuzzParameters, fuzzTimeout } from "../helpers/fuzz";
import { apiKey, fromProxy, gateway, IDENTITY_HEADERS, PROXY_SECRET } from "../helpers/gateway";
import { apiWithKey, createApi, createKey, verify } from "../helpers/harness";

const minute = 60_000;

/** Values a header can carry (printable ASCII and tabs), up to 10 kB. */
const headerValue = fc.oneof(
  fc.string({
    unit: fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      fc.constant("\t"),
    ),
    maxLength: 40,
  }),
  fc.constantFrom("", "\t", ",,,", "::::", "999.999.999.999", "::ffff:10.0.0.1", "[::1]:80", "Bearer", "Bearer \t x", "%", "%E0%A4%A", "k".repeat(10_000)),
);
const junkHeaders = fc.dictionary(
  fc.constantFrom(
    "authorization",
    "x-api-key",
    "x-forwarded-for",
    "x-real-ip",
    "cf-connecting-ip",
    "x-forwarded-method",
    "x-original-method",
    "x-original-uri",
    "x-forwarded-uri",
  ),
  headerValue,
  { maxKeys: 6 },
);
const junkQuery = fc.constantFrom(
  "",
  "header=",
  "header=%00",
  "permission=%E0%A4%A",
  "permission=&permission=",
  "environment=%",
  "header=x-api-key&header=authorization",
  "a=b&&&=&",
);

describe("gateway: hostile requests", () => {
  it(
    "never answers a 5xx, whatever the headers, method and query",
    async () => {
      const { apiId, key } = await apiWithKey({ ipAllowlist: ["10.0.0.0/8"], ratelimits: [{ name: "read", limit: 1000, duration: minute }] });
      await fc.assert(
        fc.asyncProperty(
          junkHeaders,
          fc.constantFrom("GET", "POST", "DELETE", "OPTIONS", "PATCH", "HEAD"),
          junkQuery,
          fc.boolean(),
          fc.boolean(),
          async (junk, method, query, withKey, viaProxy) => {
            const headers = viaProxy ? fromProxy(junk) : junk;
            const res = await gateway(apiId, { method, query, path: "/x", headers: withKey ? { ...headers, "x-api-key": key } : headers });
            expect(res.status).toBeLessThan(500);
            expect([200, 400, 401, 403, 429]).toContain(res.status);
          },
        ),
        fuzzParameters,
      );
    },
    fuzzTimeout,
  );

  it("refuses a key unlike any Keygate issues (too long, control characters) without looking it up", async () => {
    const apiId = await createApi();
    // With every dependency broken, a lookup would be a 503.
    const broken = { DB: brokenD1(), KEY_CACHE: brokenKv(), KEY_STATE: brokenDurableObjects(env.KEY_STATE) };
    for (const key of ["k".repeat(1025), "sk_with\ttab"]) {
      const res = await fetchWith(broken, `/v1/gateway/${apiId}`, { headers: apiKey(key) });
      expect([res.status, res.headers.get("x-key-code")]).toEqual([401, "NOT_FOUND"]);
    }
    const none = await fetchWith(broken, `/v1/gateway/${apiId}`, {});
    expect(none.status).toBe(401);
  });

  it("does not serve paths outside /v1/gateway/:apiId", async () => {
    expect((await SELF.fetch("http://keygate.test/v1/gateway")).status).toBe(404);
    expect((await SELF.fetch("http://keygate.test/v1/gatewayx/api")).status).toBe(404);
  });
});

describe("gateway: header values are always safe", () => {
  it("percent-encodes CR, LF, non-ASCII and % so that decodeURIComponent gives back the value", async () => {
    const name = "evil\r\nSet-Cookie: session=1";
    const owner = "Zoë 🚀 100%";
    const meta = { note: "line\nbreak", city: "Zürich", emoji: "🔑" };
    const { apiId, key, keyId } = await apiWithKey({ name: "renamed below", externalId: owner, meta, permissions: ["a,b", "c"] });
    // Names with control characters are refused now; one stored before that must still leave safely.
    await env.DB.prepare("UPDATE keys SET name = ? WHERE id = ?").bind(name, keyId).run();
    const res = await gateway(apiId, { headers: apiKey(key) });
    expect(res.status).toBe(200);
    for (const header of IDENTITY_HEADERS) expect(res.headers.get(header), header).toMatch(/^[\x20-\x7e]*$/);
    expect(res.headers.has("set-cookie")).toBe(false);
    expect(decodeURIComponent(res.headers.get("x-key-name")!)).toBe(name);
    expect(decodeURIComponent(res.headers.get("x-key-owner")!)).toBe(owner);
    expect(JSON.parse(decodeURIComponent(res.headers.get("x-key-meta")!))).toEqual(meta);
    // Commas inside a name are encoded too, so the list splits unambiguously.
    expect(res.headers.get("x-key-permissions")!.split(",").map(decodeURIComponent)).toEqual(["a,b", "c"]);
  });

  it("sends X-Key-Meta empty when it would exceed 4 KiB, and still allows the request", async () => {
    const { apiId, key } = await apiWithKey({ meta: { blob: "x".repeat(5000) } });
    const res = await gateway(apiId, { headers: apiKey(key) });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-key-meta")).toBe("");
    expect(res.body.meta.blob).toHaveLength(5000);
  });
});

describe("gateway: denials reveal nothing about the key", () => {
  it("sends no identity header with a 401, 403 or 429", async () => {
    const apiId = await createApi();
    const restricted = await apiWithKey({ name: "n", externalId: "o_gw_sec", meta: { m: 1 }, ipAllowlist: ["10.0.0.0/8"] });
    const limited = await apiWithKey({ name: "n", meta: { m: 1 }, ratelimit: { limit: 1, duration: minute } });
    await gateway(limited.apiId, { headers: apiKey(limited.key) });
    const denials = [
      await gateway(apiId, { headers: apiKey("sk_never_issued_gateway_0003") }),
      await gateway(apiId, { headers: apiKey(restricted.key) }),
      await gateway(restricted.apiId, { headers: { ...apiKey(restricted.key), ...fromProxy({ "x-real-ip": "192.0.2.1" }) } }),
      await gateway(limited.apiId, { headers: apiKey(limited.key) }),
    ];
    expect(denials.map((res) => res.status)).toEqual([401, 403, 403, 429]);
    for (const res of denials) {
      for (const header of IDENTITY_HEADERS) expect(res.headers.get(header), header).toBeNull();
      expect(Object.keys(res.body).sort()).toEqual(["code", "message", "requestId"]);
    }
  });

  it("spends nothing of a key presented to another api", async () => {
    const { key } = await apiWithKey({ remaining: 5 });
    expect((await gateway(await createApi("other"), { headers: apiKey(key) })).status).toBe(403);
    expect(await verify(key, { remaining: { cost: 0 } })).toMatchObject({ remaining: 5 });
  });
});

describe("gateway: what the client controls cannot widen access", () => {
  it("trusts X-Real-IP over X-Forwarded-For, so a client-supplied X-Forwarded-For cannot pass the allowlist", async () => {
    const { apiId, key } = await apiWithKey({ ipAllowlist: ["10.0.0.0/8"] });
    const res = await gateway(apiId, { headers: { ...apiKey(key), ...fromProxy({ "x-real-ip": "192.0.2.1", "x-forwarded-for": "10.0.0.1" }) } });
    expect([res.status, res.headers.get("x-key-code")]).toEqual([403, "FORBIDDEN"]);
  });

  it("lets a query appended by the client (as under Envoy) only add requirements", async () => {
    const { apiId, key } = await apiWithKey({ permissions: ["orders.read"], environment: "production" });
    const operator = "permission=orders.read&environment=production&";
    expect((await gateway(apiId, { query: `${operator}/orders?page=1&environment=test`, headers: apiKey(key) })).status).toBe(200);
    expect((await gateway(apiId, { query: `${operator}/orders?page=1&permission=admin`, headers: apiKey(key) })).status).toBe(403);
  });

  it("counts an unknown original method as a write", async () => {
    const { apiId, key } = await apiWithKey({ ratelimits: [{ name: "write", limit: 1, duration: minute }] });
    expect((await gateway(apiId, { headers: { ...apiKey(key), "x-forwarded-method": "BREW" } })).status).toBe(200);
    expect((await gateway(apiId, { headers: { ...apiKey(key), "x-forwarded-method": "POST" } })).status).toBe(429);
  });
});

describe("gateway: client addresses count only from the proxy that holds the secret", () => {
  const spoofed: Record<string, string>[] = [{ "x-real-ip": "10.1.2.3" }, { "x-forwarded-for": "10.1.2.3" }, { "cf-connecting-ip": "10.1.2.3" }];
  const wrongSecrets = ["", "wrong", `${PROXY_SECRET}x`, PROXY_SECRET.slice(0, -1), PROXY_SECRET.toUpperCase()];
  /** Everything an answer says, but its request id. */
  const answer = (res: Awaited<ReturnType<typeof gateway>>) => {
    const { requestId: _requestId, ...body } = res.body;
    return { status: res.status, headers: [...res.headers].filter(([name]) => name !== "unkey-request-id"), body };
  };

  it("ignores a client's X-Real-IP, X-Forwarded-For or CF-Connecting-IP without the secret: 403 CLIENT_ADDRESS_UNKNOWN", async () => {
    const { apiId, key } = await apiWithKey({ ipAllowlist: ["10.1.2.3"], name: "restricted" });
    for (const address of spoofed) {
      const res = await gateway(apiId, { headers: { ...apiKey(key), ...address } });
      expect([res.status, res.headers.get("x-key-code"), res.body.code], JSON.stringify(address)).toEqual([
        403,
        "CLIENT_ADDRESS_UNKNOWN",
        "CLIENT_ADDRESS_UNKNOWN",
      ]);
      for (const header of IDENTITY_HEADERS) expect(res.headers.get(header), header).toBeNull();
    }
  });

  it("treats a wrong secret exactly as no secret, so it probes nothing", async () => {
    const restricted = await apiWithKey({ ipAllowlist: ["10.1.2.3"] });
    const open = await apiWithKey();
    for (const { apiId, key } of [restricted, open]) {
      const withoutSecret = answer(await gateway(apiId, { headers: { ...apiKey(key), "x-real-ip": "10.1.2.3" } }));
      for (const secret of wrongSecrets) {
        const res = await gateway(apiId, { headers: { ...apiKey(key), "x-real-ip": "10.1.2.3", "x-keygate-proxy-secret": secret } });
        expect(answer(res), secret).toEqual(withoutSecret);
      }
    }
    expect(answer(await gateway(restricted.apiId, { headers: { ...apiKey(restricted.key), "x-keygate-proxy-secret": "wrong" } })).body.code).toBe(
      "CLIENT_ADDRESS_UNKNOWN",
    );
  });

  it("decides the allowlist on the forwarded address when the secret is right", async () => {
    const { apiId, key } = await apiWithKey({ ipAllowlist: ["10.1.2.3"] });
    for (const address of spoofed)
      expect((await gateway(apiId, { headers: { ...apiKey(key), ...fromProxy(address) } })).status, JSON.stringify(address)).toBe(200);
    const outside = await gateway(apiId, { headers: { ...apiKey(key), ...fromProxy({ "x-real-ip": "10.1.2.4" }) } });
    expect([outside.status, outside.headers.get("x-key-code")]).toEqual([403, "FORBIDDEN"]);
  });

  it("ignores forwarded addresses when Keygate has no secret configured, whatever the request sends", async () => {
    const { apiId, key } = await apiWithKey({ ipAllowlist: ["10.1.2.3"] });
    for (const configured of [undefined, ""]) {
      for (const sent of [PROXY_SECRET, ""]) {
        const res = await fetchWith({ GATEWAY_PROXY_SECRET: configured }, `/v1/gateway/${apiId}`, {
          headers: { ...apiKey(key), "x-real-ip": "10.1.2.3", "x-keygate-proxy-secret": sent },
        });
        expect([res.status, res.headers.get("x-key-code")], `${configured} / ${sent}`).toEqual([403, "CLIENT_ADDRESS_UNKNOWN"]);
      }
    }
  });

  it("fails closed on an api's allowlist too, and leaves keys without any allowlist alone", async () => {
    const restrictedApi = await createApi("restricted", { ipAllowlist: ["10.0.0.0/8"] });
    const { key: keyOfRestrictedApi } = await createKey(restrictedApi);
    const unknown = await gateway(restrictedApi, { headers: { ...apiKey(keyOfRestrictedApi), "x-real-ip": "10.1.2.3" } });
    expect([unknown.status, unknown.headers.get("x-key-code")]).toEqual([403, "CLIENT_ADDRESS_UNKNOWN"]);
    const open = await apiWithKey();
    const anyCaller: Record<string, string>[] = [{}, { "x-real-ip": "192.0.2.1" }, { "x-keygate-proxy-secret": "wrong" }];
    for (const headers of anyCaller) {
      const res = await gateway(open.apiId, { headers: { ...apiKey(open.key), ...headers } });
      expect([res.status, res.headers.get("x-key-code")], JSON.stringify(headers)).toEqual([200, "VALID"]);
    }
  });

  it("answers FORBIDDEN, not CLIENT_ADDRESS_UNKNOWN, when the key is refused for its api or environment", async () => {
    const { apiId, key } = await apiWithKey({ ipAllowlist: ["10.1.2.3"], environment: "production" });
    const otherApi = await gateway(await createApi("other"), { headers: apiKey(key) });
    const otherEnvironment = await gateway(apiId, { query: "environment=test", headers: apiKey(key) });
    for (const res of [otherApi, otherEnvironment]) expect([res.status, res.headers.get("x-key-code")]).toEqual([403, "FORBIDDEN"]);
  });
});
