import { describe, expect, it } from "vitest";
import { createApi, createKey, get, post, verify } from "../helpers/harness";
import { auditEventsOf, otherWorkspaceRootKey, uniqueName } from "../helpers/rootKeys";

async function createIdentity(body: Record<string, unknown>, rootKey?: string): Promise<string> {
  const res = await post("/v1/identities.createIdentity", body, { rootKey });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.identityId;
}

/** An identity with a shared limit, and two keys of it. */
async function identityWithTwoKeys(limit: number) {
  const externalId = uniqueName("user");
  const identityId = await createIdentity({ externalId, meta: { plan: "team" }, ratelimits: [{ name: "shared", limit, duration: 60_000 }] });
  const apiId = await createApi();
  const first = await createKey(apiId, { externalId });
  const second = await createKey(apiId, { externalId });
  return { externalId, identityId, first, second };
}

const shared = { ratelimits: [{ name: "shared" }] };

describe("identities happy paths", () => {
  it("creates an identity and reads it by identityId and by externalId", async () => {
    const externalId = uniqueName("user");
    const identityId = await createIdentity({
      externalId,
      meta: { plan: "pro" },
      ratelimits: [
        { name: "tokens", limit: 1000, duration: 60_000 },
        { name: "requests", limit: 10, duration: 1000 },
      ],
      tier: "gold",
    });
    expect(identityId).toMatch(/^id_/);
    const expected = {
      id: identityId,
      externalId,
      meta: { plan: "pro" },
      ratelimits: [
        { id: expect.stringMatching(/^rl_/), name: "requests", limit: 10, duration: 1000, autoApply: false },
        { id: expect.stringMatching(/^rl_/), name: "tokens", limit: 1000, duration: 60_000, autoApply: false },
      ],
      tier: "gold",
    };
    expect((await get("/v1/identities.getIdentity", { identityId })).body).toEqual(expected);
    expect((await get("/v1/identities.getIdentity", { externalId })).body).toEqual(expected);
    expect(await auditEventsOf(identityId)).toEqual(["identity.create"]);
  });

  it("defaults meta to {} and ratelimits to []", async () => {
    const externalId = uniqueName("user");
    const identityId = await createIdentity({ externalId });
    expect((await get("/v1/identities.getIdentity", { identityId })).body).toEqual({ id: identityId, externalId, meta: {}, ratelimits: [] });
  });

  it("lists identities a page at a time, with the total", async () => {
    const rootKey = await otherWorkspaceRootKey();
    const ids = [];
    for (const name of ["a", "b", "c"]) {
      ids.push(await createIdentity({ externalId: name, ratelimits: [{ name: "r", limit: 1, duration: 1000 }] }, rootKey));
    }
    const first = await get("/v1/identities.listIdentities", { limit: "2" }, { rootKey });
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(3);
    expect(first.body.identities).toHaveLength(2);
    expect(first.body.cursor).toEqual(expect.any(String));
    expect(first.body.identities[0]).toEqual({
      id: expect.any(String),
      externalId: expect.any(String),
      ratelimits: [{ id: expect.any(String), name: "r", limit: 1, duration: 1000, autoApply: false }],
    });
    const second = await get("/v1/identities.listIdentities", { limit: "2", cursor: first.body.cursor }, { rootKey });
    expect(second.body.identities).toHaveLength(1);
    expect(second.body.cursor).toBeUndefined();
    const seen = [...first.body.identities, ...second.body.identities].map((i: any) => i.id);
    expect(seen.sort()).toEqual(ids.sort());
  });

  it("updates meta, tier and the whole set of limits, and answers the identity", async () => {
    const externalId = uniqueName("user");
    const identityId = await createIdentity({ externalId, meta: { a: 1 }, ratelimits: [{ name: "old", limit: 1, duration: 1000 }] });
    const res = await post("/v1/identities.updateIdentity", {
      externalId,
      meta: { b: 2 },
      tier: "silver",
      ratelimits: [{ name: "new", limit: 5, duration: 5000 }],
    });
    expect(res.status).toBe(200);
    const limits = [{ id: expect.any(String), name: "new", limit: 5, duration: 5000, autoApply: false }];
    expect(res.body).toEqual({ id: identityId, externalId, meta: { b: 2 }, ratelimits: limits, tier: "silver" });

    // Fields not given stay; tier null clears it.
    const again = await post("/v1/identities.updateIdentity", { identityId, tier: null });
    expect(again.body).toEqual({ id: identityId, externalId, meta: { b: 2 }, ratelimits: limits });
    expect(await auditEventsOf(identityId)).toEqual(["identity.create", "identity.update", "identity.update"]);
  });

  it("shares an identity's limit between its keys", async () => {
    const { first, second, identityId, externalId } = await identityWithTwoKeys(3);
    const a1 = await verify(first.key, shared);
    expect(a1).toMatchObject({ valid: true, identity: { id: identityId, externalId, meta: { plan: "team" } } });
    expect(a1.ratelimit).toMatchObject({ limit: 3, remaining: 2 });
    expect(await verify(second.key, shared)).toMatchObject({ valid: true, ratelimit: { limit: 3, remaining: 1 } });
    expect(await verify(first.key, shared)).toMatchObject({ valid: true, ratelimit: { limit: 3, remaining: 0 } });
    // The limit is used up for both keys, whichever one asks.
    expect(await verify(first.key, shared)).toMatchObject({ valid: false, code: "RATE_LIMITED" });
    expect(await verify(second.key, shared)).toMatchObject({ valid: false, code: "RATE_LIMITED" });
    // Without asking for the identity's limit, a key is not held back by it.
    expect((await verify(second.key)).valid).toBe(true);
  });

  it("admits exactly the shared limit under concurrent verifies of both keys", async () => {
    const { first, second } = await identityWithTwoKeys(10);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => verify((i % 2 ? first : second).key, shared)));
    expect(results.filter((r) => r.valid)).toHaveLength(10);
    expect(results.filter((r) => r.code === "RATE_LIMITED")).toHaveLength(30);
  }, 30_000);

  it("applies a changed identity limit on the very next verify", async () => {
    const { first, second, identityId } = await identityWithTwoKeys(1);
    expect((await verify(first.key, shared)).valid).toBe(true);
    expect((await verify(second.key, shared)).code).toBe("RATE_LIMITED");

    const res = await post("/v1/identities.updateIdentity", { identityId, ratelimits: [{ name: "shared", limit: 3, duration: 60_000 }] });
    expect(res.status).toBe(200);
    expect(await verify(second.key, shared)).toMatchObject({ valid: true, ratelimit: { limit: 3, remaining: 1 } });
    expect(await verify(first.key, shared)).toMatchObject({ valid: true, ratelimit: { limit: 3, remaining: 0 } });
    expect((await verify(first.key, shared)).code).toBe("RATE_LIMITED");
  });

  it("shows changed identity meta on the very next verify", async () => {
    const { first, identityId } = await identityWithTwoKeys(5);
    expect((await verify(first.key)).identity.meta).toEqual({ plan: "team" });
    await post("/v1/identities.updateIdentity", { identityId, meta: { plan: "enterprise" } });
    expect((await verify(first.key)).identity.meta).toEqual({ plan: "enterprise" });
  });

  it("deletes an identity: its keys keep verifying, without its limits and meta", async () => {
    const { first, second, identityId, externalId } = await identityWithTwoKeys(1);
    expect((await verify(first.key, shared)).valid).toBe(true);

    expect((await post("/v1/identities.deleteIdentity", { identityId })).status).toBe(200);
    const after = await verify(second.key);
    expect(after).toMatchObject({ valid: true, code: "VALID" });
    expect(after.identity).toBeUndefined();
    expect((await get("/v1/identities.getIdentity", { identityId })).status).toBe(404);
    expect(await auditEventsOf(identityId)).toEqual(["identity.create", "identity.delete"]);

    // The externalId is free again.
    const reborn = await createIdentity({ externalId });
    expect(reborn).not.toBe(identityId);
  });

  it("links keys created with its externalId to an existing identity", async () => {
    const externalId = uniqueName("user");
    const identityId = await createIdentity({ externalId, meta: { org: true } });
    const apiId = await createApi();
    const { keyId } = await createKey(apiId, { externalId });
    const key = await get("/v1/keys.getKey", { keyId });
    expect(key.body.identity).toEqual({ id: identityId, externalId, meta: { org: true } });
  });
});
