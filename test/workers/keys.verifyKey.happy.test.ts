import { describe, expect, it } from "vitest";
import { apiWithKey, createApi, createKey, post, verify } from "../helpers/harness";

describe("keys.verifyKey happy paths", () => {
  it("verifies a new key with every response field", async () => {
    const apiId = await createApi();
    const { keyId, key } = await createKey(apiId, {
      prefix: "sk_test",
      name: "Customer X",
      externalId: "user_123",
      meta: { plan: "pro" },
      permissions: ["dns.record.update", "dns.record.delete"],
      roles: ["admin"],
      environment: "test",
      remaining: 1000,
      ratelimit: { limit: 10, duration: 60_000 },
    });
    expect(key).toMatch(/^sk_test_[1-9A-HJ-NP-Za-km-z]{20,}$/);

    const result = await verify(key, { apiId });
    expect(result).toMatchObject({
      keyId,
      valid: true,
      code: "VALID",
      name: "Customer X",
      ownerId: "user_123",
      meta: { plan: "pro" },
      remaining: 999,
      enabled: true,
      permissions: ["dns.record.delete", "dns.record.update"],
      roles: ["admin"],
      environment: "test",
      identity: { externalId: "user_123", meta: {} },
    });
    expect(result.ratelimit).toMatchObject({ limit: 10, remaining: 9 });
    expect(result.ratelimit.reset).toBeGreaterThan(Date.now());
    expect(result.requestId).toMatch(/^req_/);
  });

  it("evaluates nested permission queries against direct and role permissions", async () => {
    const { key } = await apiWithKey({ permissions: ["a", "b"] });
    expect((await verify(key, { authorization: { permissions: "a" } })).code).toBe("VALID");
    expect((await verify(key, { authorization: { permissions: { and: ["a", { or: ["b", "zzz"] }] } } })).code).toBe("VALID");
    expect((await verify(key, { authorization: { permissions: { and: ["a", "c"] } } })).code).toBe("INSUFFICIENT_PERMISSIONS");
    expect((await verify(key, { authorization: { permissions: { or: ["c", "d"] } } })).code).toBe("INSUFFICIENT_PERMISSIONS");
  });

  it("lets a cost of 0 verify without consuming credits", async () => {
    const { key } = await apiWithKey({ remaining: 1 });
    expect(await verify(key, { remaining: { cost: 0 } })).toMatchObject({ valid: true, remaining: 1 });
    expect(await verify(key)).toMatchObject({ valid: true, remaining: 0 });
    expect(await verify(key)).toMatchObject({ valid: false, code: "USAGE_EXCEEDED", remaining: 0 });
    expect(await verify(key, { remaining: { cost: 0 } })).toMatchObject({ valid: true, remaining: 0 });
  });

  it("refuses a cost larger than what is left, and consumes nothing", async () => {
    const { key } = await apiWithKey({ remaining: 5 });
    expect(await verify(key, { remaining: { cost: 6 } })).toMatchObject({ valid: false, code: "USAGE_EXCEEDED", remaining: 5 });
    expect(await verify(key, { remaining: { cost: 5 } })).toMatchObject({ valid: true, remaining: 0 });
  });

  it("answers NOT_FOUND for garbage and for a key that was never issued", async () => {
    expect(await verify("garbage")).toEqual({ valid: false, code: "NOT_FOUND", requestId: expect.any(String) });
    expect((await verify("sk_test_3vQB7B6MrGQZaxCuFg4oh")).code).toBe("NOT_FOUND");
  });

  it("is FORBIDDEN for another api's apiId", async () => {
    const { key } = await apiWithKey();
    const otherApi = await createApi("other");
    const result = await verify(key, { apiId: otherApi });
    expect(result).toMatchObject({ valid: false, code: "FORBIDDEN" });
    expect(result.keyId).toBeUndefined();
  });

  it("is EXPIRED from the moment a key expires", async () => {
    const { key, keyId } = await apiWithKey({ expires: Date.now() + 60_000 });
    expect((await verify(key)).code).toBe("VALID");
    // updateKey refuses a past expiry, so move it in D1 directly as time would.
    const { env } = await import("cloudflare:test");
    await env.DB.prepare("UPDATE keys SET expires = ? WHERE id = ?")
      .bind(Date.now() - 1, keyId)
      .run();
    await post("/v1/keys.updateKey", { keyId, name: "touch" }); // reloads the Durable Object's snapshot
    expect((await verify(key)).code).toBe("EXPIRED");
  });
});
