import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { KeyState } from "../../src/counters/keyState";
import { brokenD1, brokenDurableObjects, brokenKv, fetchWith } from "../helpers/faults";
import { apiWithKey, post, ROOT_KEY, verify } from "../helpers/harness";

const verifyWith = (overrides: Parameters<typeof fetchWith>[0], key: string) => fetchWith(overrides, "/v1/keys.verifyKey", { method: "POST", json: { key } });

describe("verify fails closed when a dependency fails", () => {
  it("answers 503 SERVICE_UNAVAILABLE, never VALID, when the key's Durable Object fails", async () => {
    const { key } = await apiWithKey();
    expect((await verify(key)).valid).toBe(true);
    const res = await verifyWith({ KEY_STATE: brokenDurableObjects(env.KEY_STATE) }, key);
    expect(res.status).toBe(503);
    const body: any = await res.json();
    expect(body.error.code).toBe("SERVICE_UNAVAILABLE");
    expect(body.valid).toBeUndefined();
  });

  it("answers 503 when D1 fails and the key is not cached", async () => {
    const res = await verifyWith({ DB: brokenD1(), KEY_CACHE: brokenKv() }, "sk_never_seen_before_0001");
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).error.code).toBe("SERVICE_UNAVAILABLE");
  });

  it("still answers from D1 when only KV fails", async () => {
    const { key } = await apiWithKey();
    const res = await verifyWith({ KEY_CACHE: brokenKv() }, key);
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).code).toBe("VALID");
  });

  it("works again without a restart once the fault clears", async () => {
    const { key } = await apiWithKey();
    expect((await verifyWith({ KEY_STATE: brokenDurableObjects(env.KEY_STATE) }, key)).status).toBe(503);
    expect((await verify(key)).code).toBe("VALID");
  });
});

describe("a verify that answers 503 has charged nothing", () => {
  it("refunds the key's own credits and window when a shared counter fails after they were charged", async () => {
    const externalId = `owner-${crypto.randomUUID()}`;
    await post("/v1/identities.createIdentity", { externalId, ratelimits: [{ name: "shared", limit: 100, duration: 60_000 }] });
    const { key, keyId } = await apiWithKey({ ownerId: externalId, remaining: 5, ratelimit: { limit: 3, duration: 60_000 } });
    expect(await verify(key, { ratelimits: [{ name: "shared" }] })).toMatchObject({ code: "VALID", remaining: 4 });

    // The identity's Limiter becomes unreachable from inside the key's object, after its own charge.
    const stub = env.KEY_STATE.get(env.KEY_STATE.idFromName(keyId));
    const answer = await runInDurableObject(stub, async (instance) => {
      const state = instance as KeyState;
      const real = Reflect.get(state, "env");
      Reflect.set(state, "env", { ...real, LIMITER: brokenDurableObjects(env.LIMITER) });
      try {
        return await state.verify({ keyId, creditCost: 1, ratelimitCost: 1, ratelimits: [{ name: "shared" }] });
      } finally {
        Reflect.set(state, "env", real);
      }
    });
    expect(answer).toMatchObject({ refused: { code: "SERVICE_UNAVAILABLE" } });
    // Still 4 credits and 2 of 3 in the window: the failed verify took nothing.
    expect(await verify(key)).toMatchObject({ code: "VALID", remaining: 3, ratelimit: { limit: 3, remaining: 1 } });
  });
});

describe("management writes fail closed and leave no partial state", () => {
  it("refuses an update when the key's Durable Object cannot be fenced, and changes nothing", async () => {
    const { key, keyId } = await apiWithKey({ name: "before" });
    const res = await fetchWith({ KEY_STATE: brokenDurableObjects(env.KEY_STATE) }, "/v1/keys.updateKey", {
      method: "POST",
      headers: { authorization: `Bearer ${ROOT_KEY}` },
      json: { keyId, enabled: false, name: "after" },
    });
    expect(res.status).toBe(503);
    const row = await env.DB.prepare("SELECT name, enabled FROM keys WHERE id = ?").bind(keyId).first();
    expect(row).toEqual({ name: "before", enabled: 1 });
    expect((await verify(key)).code).toBe("VALID");
  });

  it("answers 503 for management when D1 fails", async () => {
    const res = await fetchWith({ DB: brokenD1() }, "/v1/apis.createApi", {
      method: "POST",
      headers: { authorization: `Bearer ${ROOT_KEY}` },
      json: { name: "x" },
    });
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).error.code).toBe("SERVICE_UNAVAILABLE");
  });
});
