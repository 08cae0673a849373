import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { brokenDurableObjects, fetchWith } from "../helpers/faults";
import { createApi, createKey, get, post, verify } from "../helpers/harness";
import { rootKeyWith } from "../helpers/rootKeys";

const BOUND_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A verify with every Durable Object unreachable: only a lease can answer it. */
const verifyWithoutObjects = async (key: string, body: Record<string, unknown> = {}) => {
  const res = await fetchWith({ KEY_STATE: brokenDurableObjects(env.KEY_STATE) }, "/v1/keys.verifyKey", { method: "POST", json: { key, ...body } });
  return { status: res.status, body: (await res.json()) as any };
};

async function edgeKey(settings: Record<string, unknown> = {}) {
  const apiId = await createApi("edge", { verifyMaxStalenessMs: BOUND_MS });
  return { apiId, ...(await createKey(apiId, settings)) };
}

describe("edge mode, per api", () => {
  it("answers a warm verify from the isolate's lease, with no Durable Object call", async () => {
    const { key } = await edgeKey();
    expect((await verify(key)).code).toBe("VALID");
    const warm = await verifyWithoutObjects(key);
    expect(warm).toMatchObject({ status: 200, body: { valid: true, code: "VALID" } });
  });

  it("keeps strict mode for an api without a bound: the same verify needs the object", async () => {
    const apiId = await createApi("strict");
    const { key } = await createKey(apiId);
    expect((await verify(key)).code).toBe("VALID");
    expect((await verifyWithoutObjects(key)).status).toBe(503);
  });

  it("sees a disable once the bound has passed, and not from a lease lent before it", async () => {
    const { key, keyId } = await edgeKey();
    expect((await verify(key)).code).toBe("VALID");
    expect((await post("/v1/keys.updateKey", { keyId, enabled: false })).status).toBe(200);
    await sleep(BOUND_MS + 20);
    expect((await verify(key)).code).toBe("DISABLED");
  });

  it("spends credits and limit units from the lease, and never more than there are", async () => {
    const { key, keyId } = await edgeKey({ remaining: 5, ratelimit: { limit: 3, duration: 60_000 } });
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await verify(key)).code);
    expect(codes.filter((code) => code === "VALID")).toHaveLength(3);
    expect(codes.slice(3).every((code) => code === "RATE_LIMITED")).toBe(true);
    // After the leases end, the next verify hands back what was not spent: nothing is lost.
    await sleep(BOUND_MS + 20);
    await verify(key, { ratelimit: { cost: 0 }, remaining: { cost: 0 } });
    expect((await get("/v1/keys.getKey", { keyId })).body.remaining).toBe(2);
  });

  it("lends autoApply limits with the lease, and never admits more than they allow", async () => {
    const { key } = await edgeKey({ ratelimits: [{ name: "always", limit: 3, duration: 60_000, autoApply: true }] });
    expect((await verify(key)).code).toBe("VALID");
    // Warm: answered from the lease alone, the autoApply limit counted with it.
    const warm = await verifyWithoutObjects(key);
    expect(warm.body).toMatchObject({ valid: true, code: "VALID" });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await verify(key)).code);
    expect(codes.filter((code) => code === "VALID")).toHaveLength(1);
    expect(codes.slice(1).every((code) => code === "RATE_LIMITED")).toBe(true);
  });

  it("lets an api change its bound, and reads it back", async () => {
    const { apiId, key } = await edgeKey();
    expect((await get("/v1/apis.getApi", { apiId })).body.verifyMaxStalenessMs).toBe(BOUND_MS);
    expect((await post("/v1/apis.updateApi", { apiId, verifyMaxStalenessMs: 0 })).status).toBe(200);
    expect((await get("/v1/apis.getApi", { apiId })).body.verifyMaxStalenessMs).toBe(0);
    // Leases lent before run to their end; after that the api is strict.
    await sleep(BOUND_MS + 20);
    expect((await verify(key)).code).toBe("VALID");
    expect((await verifyWithoutObjects(key)).status).toBe(503);
  });
});

describe("edge mode: bad input and rights", () => {
  it("refuses a bound that is negative, fractional, too long or not a number", async () => {
    for (const verifyMaxStalenessMs of [-1, 1.5, 60_001, "1000"]) {
      const res = await post("/v1/apis.createApi", { name: "bad-bound", verifyMaxStalenessMs });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("BAD_REQUEST");
      expect(res.body.error.message).toMatch(/^verifyMaxStalenessMs: /);
    }
  });

  it("needs api.<id>.update_api to change the bound, and changes nothing without it", async () => {
    const { apiId } = await edgeKey();
    const reader = await rootKeyWith([`api.${apiId}.read_api`]);
    const refused = await post("/v1/apis.updateApi", { apiId, verifyMaxStalenessMs: 0 }, { rootKey: reader });
    expect(refused.status).toBe(403);
    expect((await get("/v1/apis.getApi", { apiId })).body.verifyMaxStalenessMs).toBe(BOUND_MS);
    const updater = await rootKeyWith([`api.${apiId}.update_api`]);
    expect((await post("/v1/apis.updateApi", { apiId, verifyMaxStalenessMs: null }, { rootKey: updater })).status).toBe(200);
    expect((await get("/v1/apis.getApi", { apiId })).body.verifyMaxStalenessMs).toBeNull();
  });
});
