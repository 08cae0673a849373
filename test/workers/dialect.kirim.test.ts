import { env } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { type ErrorCode, KeygateError } from "../../src/errors";
import { DEFAULT_READ_PER_MINUTE, DEFAULT_TIER, DEFAULT_WRITE_PER_MINUTE, kirimError } from "../../src/surfaces/kirim/envelope";
import { bearer, expireKey, kirim, malformedAuthorization, revokeKeyInD1 } from "../helpers/dialects";
import { brokenD1, brokenDurableObjects, brokenKv, fetchWith } from "../helpers/faults";
import { apiWithKey, post, verify } from "../helpers/harness";

const kirimErrorBody = (type: string, code: string) => ({
  error: { type, code, message: expect.any(String), request_id: expect.stringMatching(/^req_/) },
});

describe("Kirim GET /v1/me: happy paths", () => {
  it("answers the exact success shape", async () => {
    const { key, keyId } = await apiWithKey({
      name: "CI bot",
      tier: "pro",
      ratelimits: [
        { name: "read", limit: 100, duration: 60_000 },
        { name: "write", limit: 10, duration: 1_000 },
      ],
    });
    const res = await kirim(bearer(key));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        organization: { id: "ws_default", object: "organization", name: "default" },
        api_key: { id: keyId, object: "api_key", label: "CI bot", last4: key.slice(-4) },
        rate_limits: { tier: "pro", write_per_minute: 600, read_per_minute: 100 },
      },
      request_id: res.headers.get("unkey-request-id"),
    });
    expect(res.body.request_id).toMatch(/^req_/);
  });

  it("reports an empty label, the default tier and the documented defaults for a plain key", async () => {
    const { key } = await apiWithKey();
    const { data } = (await kirim(bearer(key))).body;
    expect(data.api_key.label).toBe("");
    expect(data.rate_limits).toEqual({ tier: DEFAULT_TIER, write_per_minute: DEFAULT_WRITE_PER_MINUTE, read_per_minute: DEFAULT_READ_PER_MINUTE });
  });

  it("normalises limits to whole requests per minute, rounding down but never to 0", async () => {
    const { key } = await apiWithKey({
      ratelimits: [
        { name: "read", limit: 5, duration: 120_000 },
        { name: "write", limit: 1, duration: 3_600_000 },
      ],
    });
    expect((await kirim(bearer(key))).body.data.rate_limits).toMatchObject({ read_per_minute: 2, write_per_minute: 1 });
  });

  it("falls back to the identity's tier and limits, the key's own taking precedence", async () => {
    const { key, keyId } = await apiWithKey({ externalId: `kirim_${crypto.randomUUID()}`, ratelimits: [{ name: "write", limit: 30, duration: 60_000 }] });
    const identityId = (await verify(key, { remaining: { cost: 0 } })).identity.id;
    await env.DB.batch([
      env.DB.prepare("UPDATE identities SET tier = 'enterprise' WHERE id = ?").bind(identityId),
      env.DB.prepare(`INSERT INTO ratelimits (id, workspace_id, identity_id, name, "limit", duration) VALUES (?, 'ws_default', ?, ?, ?, 60000)`).bind(
        `rl_${crypto.randomUUID()}`,
        identityId,
        "read",
        42,
      ),
      env.DB.prepare(`INSERT INTO ratelimits (id, workspace_id, identity_id, name, "limit", duration) VALUES (?, 'ws_default', ?, ?, ?, 60000)`).bind(
        `rl_${crypto.randomUUID()}`,
        identityId,
        "write",
        999,
      ),
    ]);
    await post("/v1/keys.updateKey", { keyId, name: "reload" });
    expect((await kirim(bearer(key))).body.data.rate_limits).toEqual({ tier: "enterprise", write_per_minute: 30, read_per_minute: 42 });
  });

  it("consumes no credits", async () => {
    const { key } = await apiWithKey({ remaining: 1 });
    expect((await kirim(bearer(key))).status).toBe(200);
    expect((await kirim(bearer(key))).status).toBe(200);
    expect(await verify(key, { remaining: { cost: 0 } })).toMatchObject({ valid: true, remaining: 1 });
  });

  it("accepts an address inside the key's allowlist", async () => {
    const { key } = await apiWithKey({ ipAllowlist: ["10.0.0.0/8"] });
    expect((await kirim({ ...bearer(key), "CF-Connecting-IP": "10.1.2.3" })).status).toBe(200);
  });
});

describe("Kirim GET /v1/me: errors", () => {
  it("is 401 authentication_error for an unknown key", async () => {
    const res = await kirim(bearer("sk_test_never_issued_kirim_0001"));
    expect(res.status).toBe(401);
    expect(res.body).toEqual(kirimErrorBody("authentication_error", "invalid_api_key"));
  });

  it("is 401 for an expired, a disabled, a revoked and a deleted key", async () => {
    const expired = await apiWithKey({ expires: Date.now() + 60_000 });
    const disabled = await apiWithKey();
    const revoked = await apiWithKey();
    const deleted = await apiWithKey();
    for (const { key } of [expired, disabled, revoked, deleted]) expect((await kirim(bearer(key))).status).toBe(200);

    await expireKey(expired.keyId);
    await post("/v1/keys.updateKey", { keyId: disabled.keyId, enabled: false });
    await revokeKeyInD1(revoked.keyId);
    await post("/v1/keys.deleteKey", { keyId: deleted.keyId });
    for (const { key } of [expired, disabled, revoked, deleted]) {
      const res = await kirim(bearer(key));
      expect(res.status).toBe(401);
      expect(res.body).toEqual(kirimErrorBody("authentication_error", "invalid_api_key"));
    }
  });

  it("is 401 ip_not_allowed outside the key's allowlist", async () => {
    const { key } = await apiWithKey({ ipAllowlist: ["10.0.0.0/8"] });
    const addresses: Record<string, string>[] = [{ "CF-Connecting-IP": "192.168.1.1" }, {}];
    for (const headers of addresses) {
      const res = await kirim({ ...bearer(key), ...headers });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(kirimErrorBody("authentication_error", "ip_not_allowed"));
    }
  });

  it("is 429 rate_limit_error, with Retry-After, once the key's limit is used", async () => {
    const { key } = await apiWithKey({ ratelimit: { limit: 1, duration: 60_000 } });
    expect((await kirim(bearer(key))).status).toBe(200);
    const res = await kirim(bearer(key));
    expect(res.status).toBe(429);
    expect(res.body).toEqual(kirimErrorBody("rate_limit_error", "rate_limit_exceeded"));
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("is 503 api_error, never an answer, when a dependency fails", async () => {
    const { key } = await apiWithKey();
    const broken = await fetchWith({ KEY_STATE: brokenDurableObjects(env.KEY_STATE) }, "/v1/me", { headers: bearer(key) });
    expect(broken.status).toBe(503);
    expect(await broken.json()).toEqual(kirimErrorBody("api_error", "service_unavailable"));

    const uncached = await fetchWith({ DB: brokenD1(), KEY_CACHE: brokenKv() }, "/v1/me", { headers: bearer("sk_test_never_seen_kirim_0001") });
    expect(uncached.status).toBe(503);
    expect(await uncached.json()).toEqual(kirimErrorBody("api_error", "service_unavailable"));
  });

  it("maps every other internal error to a Kirim type, keeping its status", async () => {
    const cases: [ErrorCode, number, string, string][] = [
      ["BAD_REQUEST", 400, "invalid_request_error", "bad_request"],
      ["PAYLOAD_TOO_LARGE", 413, "invalid_request_error", "payload_too_large"],
      ["INTERNAL_SERVER_ERROR", 500, "api_error", "internal_server_error"],
    ];
    for (const [code, status, type, kirimCode] of cases) {
      const app = new Hono<{ Variables: { requestId: string } }>().get("/", (c) => {
        c.set("requestId", "req_test");
        return kirimError(c, new KeygateError(code, "why"));
      });
      const res = await app.request("/");
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({ error: { type, code: kirimCode, message: "why", request_id: "req_test" } });
    }
  });
});

describe("Kirim GET /v1/me: security", () => {
  it.each(malformedAuthorization)("is 401, never 5xx, for a malformed Authorization header: %s", async (_, headers) => {
    const res = await kirim(headers);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(kirimErrorBody("authentication_error", "invalid_api_key"));
  });

  it("refuses a 10 kB token before any lookup: no dependency is touched", async () => {
    const res = await fetchWith({ DB: brokenD1(), KEY_CACHE: brokenKv(), KEY_STATE: brokenDurableObjects(env.KEY_STATE) }, "/v1/me", {
      headers: bearer("k".repeat(10 * 1024)),
    });
    expect(res.status).toBe(401);
  });

  it("shows only the last four characters of the key", async () => {
    const { key } = await apiWithKey({ name: "visible" });
    const text = JSON.stringify((await kirim(bearer(key))).body);
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(-5));
  });
});
