import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ROOT_KEY, apiWithKey, verify } from "../helpers/harness";
import { brokenD1, brokenDurableObjects, brokenKv, fetchWith } from "../helpers/faults";

const verifyWith = (overrides: Parameters<typeof fetchWith>[0], key: string) =>
  fetchWith(overrides, "/v1/keys.verifyKey", { method: "POST", json: { key } });

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
