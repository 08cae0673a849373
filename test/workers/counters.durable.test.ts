import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CACHED_VALUES } from "../../src/counters/cachedKv";
import type { CreditState } from "../../src/counters/credits";
import { DAY_MS } from "../../src/time";
import { apiWithKey, get, post, verify } from "../helpers/harness";

const stateOf = (keyId: string) => env.KEY_STATE.get(env.KEY_STATE.idFromName(keyId));

describe("Durable Object counters", () => {
  it("spends exactly 50 credits under 200 concurrent verifies", async () => {
    const { key } = await apiWithKey({ remaining: 50 });
    const results = await Promise.all(Array.from({ length: 200 }, () => verify(key)));
    expect(results.filter((r) => r.valid)).toHaveLength(50);
    expect(results.filter((r) => r.code === "USAGE_EXCEEDED")).toHaveLength(150);
    expect(new Set(results.filter((r) => r.valid).map((r) => r.remaining)).size).toBe(50);
  });

  it("admits exactly 10 of 100 concurrent verifies against a limit of 10", async () => {
    const { key } = await apiWithKey({ ratelimit: { limit: 10, duration: 60_000 } });
    const results = await Promise.all(Array.from({ length: 100 }, () => verify(key)));
    expect(results.filter((r) => r.valid)).toHaveLength(10);
    const limited = results.filter((r) => r.code === "RATE_LIMITED");
    expect(limited).toHaveLength(90);
    expect(limited[0].ratelimit).toMatchObject({ limit: 10, remaining: 0 });
  });

  it("charges nothing when a later limit of the same verify denies", async () => {
    const { key } = await apiWithKey({ remaining: 100 });
    const limits = [
      { name: "wide", limit: 5, duration: 60_000 },
      { name: "narrow", limit: 1, duration: 60_000 },
    ];
    expect((await verify(key, { ratelimits: limits })).valid).toBe(true);
    const denied = await verify(key, { ratelimits: limits });
    expect(denied).toMatchObject({ valid: false, code: "RATE_LIMITED", ratelimit: { limit: 1, remaining: 0 } });
    // "wide" still has 4 left and the credits were not charged by the denied verify.
    const after = await verify(key, { ratelimits: [limits[0]] });
    expect(after).toMatchObject({ valid: true, remaining: 98, ratelimit: { limit: 5, remaining: 3 } });
  });

  it("does not charge credits when a rate limit denies", async () => {
    const { key, keyId } = await apiWithKey({ remaining: 10, ratelimit: { limit: 1, duration: 60_000 } });
    expect(await verify(key)).toMatchObject({ valid: true, remaining: 9 });
    expect(await verify(key)).toMatchObject({ valid: false, code: "RATE_LIMITED" });
    const credits = await runInDurableObject(stateOf(keyId), (_instance, state) => state.storage.kv.get<CreditState>("credits"));
    expect(credits?.remaining).toBe(9);
  });

  it("sees disable, enable and delete on the very next verify after a warm cache", async () => {
    const { key, keyId } = await apiWithKey();
    expect((await verify(key)).code).toBe("VALID");
    await post("/v1/keys.updateKey", { keyId, enabled: false });
    expect(await verify(key)).toMatchObject({ valid: false, code: "DISABLED", enabled: false });
    await post("/v1/keys.updateKey", { keyId, enabled: true });
    expect((await verify(key)).code).toBe("VALID");
    await post("/v1/keys.deleteKey", { keyId });
    expect(await verify(key)).toEqual({ valid: false, code: "NOT_FOUND", requestId: expect.any(String) });
  });

  it("loses no update when management calls race, and verify sees the last of each", async () => {
    const { key, keyId } = await apiWithKey({ name: "start" });
    expect((await verify(key)).code).toBe("VALID");
    const updates = await Promise.all([
      post("/v1/keys.updateKey", { keyId, name: "renamed" }),
      post("/v1/keys.updateKey", { keyId, meta: { plan: "team" } }),
      post("/v1/keys.updateKey", { keyId, ratelimit: { limit: 3, duration: 60_000 } }),
      post("/v1/keys.updateKey", { keyId, permissions: [{ name: "orders.read", create: true }] }),
    ]);
    expect(updates.map((u) => u.status)).toEqual([200, 200, 200, 200]);
    const after = await verify(key, { authorization: { permissions: "orders.read" } });
    expect(after).toMatchObject({ valid: true, name: "renamed", meta: { plan: "team" }, ratelimit: { limit: 3, remaining: 2 } });
  });

  it("sees a deleted api on the very next verify of its keys", async () => {
    const { key, apiId } = await apiWithKey();
    expect((await verify(key)).code).toBe("VALID");
    expect((await post("/v1/apis.deleteApi", { apiId })).status).toBe(200);
    expect((await verify(key)).code).toBe("NOT_FOUND");
  });

  it("sees a new expiry and new limits on the very next verify", async () => {
    const { key, keyId } = await apiWithKey({ ratelimit: { limit: 1, duration: 60_000 } });
    expect((await verify(key)).code).toBe("VALID");
    expect((await verify(key)).code).toBe("RATE_LIMITED");
    await post("/v1/keys.updateKey", { keyId, ratelimit: { limit: 5, duration: 60_000 } });
    expect((await verify(key)).code).toBe("VALID");
    await post("/v1/keys.updateKey", { keyId, ratelimit: null });
    const unlimited = await verify(key);
    expect(unlimited.code).toBe("VALID");
    expect(unlimited.ratelimit).toBeUndefined();
  });

  it("keeps counting a limit after more ad-hoc limit names than it holds in memory", async () => {
    const { key } = await apiWithKey();
    const adHoc = (name: string) => ({ ratelimits: [{ name, limit: 1, duration: 60_000 }] });
    expect((await verify(key, adHoc("first"))).valid).toBe(true);
    for (let i = 0; i <= CACHED_VALUES; i++) expect((await verify(key, adHoc(`other-${i}`))).valid).toBe(true);
    expect(await verify(key, adHoc("first"))).toMatchObject({ valid: false, code: "RATE_LIMITED" });
  });

  it("refills credits when the Durable Object's count predates a boundary", async () => {
    const { key, keyId } = await apiWithKey({ remaining: 1, refill: { interval: "daily", amount: 20 } });
    expect(await verify(key)).toMatchObject({ valid: true, remaining: 0 });
    expect((await verify(key)).code).toBe("USAGE_EXCEEDED");
    // Move the stored count's last refill to yesterday, as if a day had passed, and restart the
    // object so that it reads the count from storage (it keeps what it wrote in memory).
    await runInDurableObject(stateOf(keyId), (_instance, state) => {
      const credits = state.storage.kv.get<CreditState>("credits")!;
      state.storage.kv.put("credits", { ...credits, lastRefillAt: credits.lastRefillAt - DAY_MS });
    });
    await evictDurableObject(stateOf(keyId));
    expect(await verify(key)).toMatchObject({ valid: true, remaining: 19 });
  });

  it("applies updateRemaining atomically and answers the new value", async () => {
    const { key, keyId } = await apiWithKey({ remaining: 10 });
    await verify(key);
    expect((await post("/v1/keys.updateRemaining", { keyId, op: "increment", value: 5 })).body).toEqual({ remaining: 14 });
    expect((await post("/v1/keys.updateRemaining", { keyId, op: "decrement", value: 4 })).body).toEqual({ remaining: 10 });
    expect((await post("/v1/keys.updateRemaining", { keyId, op: "set", value: 3 })).body).toEqual({ remaining: 3 });
    expect(await verify(key)).toMatchObject({ valid: true, remaining: 2 });
    const concurrent = await Promise.all([
      ...Array.from({ length: 20 }, () => post("/v1/keys.updateRemaining", { keyId, op: "increment", value: 1 })),
      ...Array.from({ length: 20 }, () => verify(key)),
    ]);
    expect(concurrent.every((r) => ("status" in r ? r.status === 200 : true))).toBe(true);
    const valid = concurrent.filter((r) => !("status" in r) && r.valid).length;
    const { body } = await get("/v1/keys.getKey", { keyId });
    expect(body.remaining).toBe(2 + 20 - valid);
  });

  it("keeps counts in durable storage across an eviction", async () => {
    const { key, keyId } = await apiWithKey({ remaining: 5 });
    await verify(key);
    await verify(key);
    await evictDurableObject(stateOf(keyId));
    expect(await verify(key)).toMatchObject({ valid: true, remaining: 2 });
  });
});
