import { env } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { type ErrorCode, KeygateError } from "../../src/errors";
import { komboError } from "../../src/surfaces/kombo/envelope";
import { bearer, expireKey, kombo, malformedAuthorization, revokeKeyInD1 } from "../helpers/dialects";
import { brokenD1, brokenDurableObjects, brokenKv, fetchWith } from "../helpers/faults";
import { apiWithKey, createApi, createKey, post, verify } from "../helpers/harness";

const komboErrorBody = (code: string) => ({
  status: "error",
  error: { code, title: expect.any(String), message: expect.any(String), log_url: null },
});

describe("Kombo GET /v1/check-api-key: happy paths", () => {
  it("answers the exact success shape, customer_id mirroring environment_id", async () => {
    const { key } = await apiWithKey({ environment: "production" });
    const res = await kombo(bearer(key));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: "success",
      data: { environment_id: expect.stringMatching(/^env_[1-9A-HJ-NP-Za-km-z]+$/), customer_id: res.body.data.environment_id },
    });
  });

  it("gives one stable environment_id per environment, and one for keys without an environment", async () => {
    const apiId = await createApi();
    const environmentOf = async (extra: Record<string, unknown>) => {
      const { key } = await createKey(apiId, extra);
      return (await kombo(bearer(key))).body.data.environment_id as string;
    };
    const production = await environmentOf({ environment: "production" });
    const development = await environmentOf({ environment: "development" });
    const none = await environmentOf({});
    expect(await environmentOf({ environment: "production" })).toBe(production);
    expect(await environmentOf({})).toBe(none);
    expect(new Set([production, development, none]).size).toBe(3);
    // Another api of the same workspace shares the workspace's environments.
    const { key } = await apiWithKey({ environment: "production" });
    expect((await kombo(bearer(key))).body.data.environment_id).toBe(production);
  });

  it("consumes no credits", async () => {
    const { key } = await apiWithKey({ remaining: 1 });
    expect((await kombo(bearer(key))).status).toBe(200);
    expect((await kombo(bearer(key))).status).toBe(200);
    expect(await verify(key, { remaining: { cost: 0 } })).toMatchObject({ valid: true, remaining: 1 });
  });

  it("accepts an address inside the key's allowlist", async () => {
    const { key } = await apiWithKey({ ipAllowlist: ["10.0.0.0/8"] });
    expect((await kombo({ ...bearer(key), "CF-Connecting-IP": "10.1.2.3" })).status).toBe(200);
  });
});

describe("Kombo GET /v1/check-api-key: errors", () => {
  it("is 401 PLATFORM.AUTHENTICATION_INVALID for an unknown key", async () => {
    const res = await kombo(bearer("sk_test_never_issued_kombo_0001"));
    expect(res.status).toBe(401);
    expect(res.body).toEqual(komboErrorBody("PLATFORM.AUTHENTICATION_INVALID"));
  });

  it("is 401 for an expired, a disabled, a revoked and a deleted key", async () => {
    const expired = await apiWithKey({ expires: Date.now() + 60_000 });
    const disabled = await apiWithKey();
    const revoked = await apiWithKey();
    const deleted = await apiWithKey();
    for (const { key } of [expired, disabled, revoked, deleted]) expect((await kombo(bearer(key))).status).toBe(200);

    await expireKey(expired.keyId);
    await post("/v1/keys.updateKey", { keyId: disabled.keyId, enabled: false });
    await revokeKeyInD1(revoked.keyId);
    await post("/v1/keys.deleteKey", { keyId: deleted.keyId });
    for (const { key } of [expired, disabled, revoked, deleted]) {
      const res = await kombo(bearer(key));
      expect(res.status).toBe(401);
      expect(res.body).toEqual(komboErrorBody("PLATFORM.AUTHENTICATION_INVALID"));
    }
  });

  it("is 403 PLATFORM.IP_NOT_WHITELISTED outside the key's allowlist, or without an address", async () => {
    const { key } = await apiWithKey({ ipAllowlist: ["10.0.0.0/8"] });
    const addresses: Record<string, string>[] = [{ "CF-Connecting-IP": "192.168.1.1" }, { "CF-Connecting-IP": "not-an-ip" }, {}];
    for (const headers of addresses) {
      const res = await kombo({ ...bearer(key), ...headers });
      expect(res.status).toBe(403);
      expect(res.body).toEqual(komboErrorBody("PLATFORM.IP_NOT_WHITELISTED"));
    }
  });

  it("is 429 PLATFORM.RATE_LIMIT_EXCEEDED, with Retry-After, once the key's limit is used", async () => {
    const { key } = await apiWithKey({ ratelimit: { limit: 1, duration: 60_000 } });
    expect((await kombo(bearer(key))).status).toBe(200);
    const res = await kombo(bearer(key));
    expect(res.status).toBe(429);
    expect(res.body).toEqual(komboErrorBody("PLATFORM.RATE_LIMIT_EXCEEDED"));
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    // The window counts whole buckets, so the cost may leave up to one bucket (1 s) after 60 s.
    expect(retryAfter).toBeLessThanOrEqual(61);
  });

  it("keeps a 503 for a dependency failure, with PLATFORM.UNKNOWN_ERROR, and never a success", async () => {
    const { key } = await apiWithKey();
    expect((await kombo(bearer(key))).status).toBe(200);
    const broken = await fetchWith({ KEY_STATE: brokenDurableObjects(env.KEY_STATE) }, "/v1/check-api-key", { headers: bearer(key) });
    expect(broken.status).toBe(503);
    expect(await broken.json()).toEqual(komboErrorBody("PLATFORM.UNKNOWN_ERROR"));

    const uncached = await fetchWith({ DB: brokenD1(), KEY_CACHE: brokenKv() }, "/v1/check-api-key", {
      headers: bearer("sk_test_never_seen_kombo_0001"),
    });
    expect(uncached.status).toBe(503);
    expect(await uncached.json()).toEqual(komboErrorBody("PLATFORM.UNKNOWN_ERROR"));
  });

  it("maps every other internal error to a PLATFORM code, keeping its status", async () => {
    const cases: [ErrorCode, number, string][] = [
      ["BAD_REQUEST", 400, "PLATFORM.INPUT_INVALID"],
      ["PAYLOAD_TOO_LARGE", 413, "PLATFORM.INPUT_INVALID"],
      ["INTERNAL_SERVER_ERROR", 500, "PLATFORM.UNKNOWN_ERROR"],
      ["SERVICE_UNAVAILABLE", 503, "PLATFORM.UNKNOWN_ERROR"],
    ];
    for (const [code, status, platformCode] of cases) {
      const app = new Hono().get("/", (c) => komboError(c, new KeygateError(code, "why")));
      const res = await app.request("/");
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({ status: "error", error: { code: platformCode, title: expect.any(String), message: "why", log_url: null } });
    }
  });
});

describe("Kombo GET /v1/check-api-key: security", () => {
  it.each(malformedAuthorization)("is 401, never 5xx, for a malformed Authorization header: %s", async (_, headers) => {
    const res = await kombo(headers);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(komboErrorBody("PLATFORM.AUTHENTICATION_INVALID"));
  });

  it("refuses a 10 kB token before any lookup: no dependency is touched", async () => {
    const res = await fetchWith({ DB: brokenD1(), KEY_CACHE: brokenKv(), KEY_STATE: brokenDurableObjects(env.KEY_STATE) }, "/v1/check-api-key", {
      headers: bearer("k".repeat(10 * 1024)),
    });
    expect(res.status).toBe(401);
  });

  it("answers an unknown and a disabled key alike, so the answer reveals nothing about keys", async () => {
    const { key, keyId } = await apiWithKey();
    await post("/v1/keys.updateKey", { keyId, enabled: false });
    const disabled = await kombo(bearer(key));
    const unknown = await kombo(bearer("sk_test_never_issued_kombo_0002"));
    expect(disabled.body).toEqual(unknown.body);
  });
});
