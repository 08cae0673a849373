import { describe, expect, it } from "vitest";
import { get, post } from "../helpers/harness";
import { uniqueName } from "../helpers/rootKeys";

const create = (body: unknown) => post("/v1/identities.createIdentity", body);

describe("identities errors", () => {
  it("is a 409 for an externalId that exists", async () => {
    const externalId = uniqueName("user");
    expect((await create({ externalId })).status).toBe(200);
    const again = await create({ externalId });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "CONFLICT", message: expect.stringContaining(externalId) });
  });

  it("creates one identity when many requests race for the same externalId; the others are 409, never 5xx", async () => {
    const externalId = uniqueName("user");
    const results = await Promise.all(Array.from({ length: 10 }, () => create({ externalId })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
  });

  it.each([
    [{ ratelimits: [{ name: "r", limit: 0, duration: 1000 }] }, "ratelimits.0.limit"],
    [{ ratelimits: [{ name: "r", limit: -5, duration: 1000 }] }, "ratelimits.0.limit"],
    [{ ratelimits: [{ name: "r", limit: 1.5, duration: 1000 }] }, "ratelimits.0.limit"],
    [{ ratelimits: [{ name: "r", limit: 1, duration: 999 }] }, "ratelimits.0.duration"],
    [
      {
        ratelimits: [
          { name: "r", limit: 1, duration: 1000 },
          { name: "r", limit: 2, duration: 1000 },
        ],
      },
      "ratelimits.1.name",
    ],
    [{ ratelimits: [{ name: "", limit: 1, duration: 1000 }] }, "ratelimits.0.name"],
    [{ meta: "not an object" }, "meta"],
    [{ tier: "" }, "tier"],
    [{ unknownField: 1 }, "unknownField"],
  ])("rejects %j with a 400 naming %s", async (extra, field) => {
    const res = await create({ externalId: uniqueName("user"), ...extra });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("BAD_REQUEST");
    expect(res.body.error.message).toContain(field);
  });

  it("rejects a missing or empty externalId", async () => {
    expect((await create({})).body.error.message).toContain("externalId");
    expect((await create({ externalId: "" })).status).toBe(400);
  });

  it("rejects invalid limits on update too, and changes nothing", async () => {
    const externalId = uniqueName("user");
    const { identityId } = (await create({ externalId, ratelimits: [{ name: "r", limit: 2, duration: 1000 }] })).body;
    const res = await post("/v1/identities.updateIdentity", { identityId, ratelimits: [{ name: "r", limit: 0, duration: 1000 }] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("ratelimits.0.limit");
    const dup = await post("/v1/identities.updateIdentity", {
      identityId,
      ratelimits: [
        { name: "x", limit: 1, duration: 1000 },
        { name: "x", limit: 1, duration: 1000 },
      ],
    });
    expect(dup.status).toBe(400);
    expect((await get("/v1/identities.getIdentity", { identityId })).body.ratelimits).toEqual([
      { id: expect.any(String), name: "r", limit: 2, duration: 1000, autoApply: false },
    ]);
  });

  it("needs identityId or externalId to find an identity", async () => {
    expect((await get("/v1/identities.getIdentity", {})).status).toBe(400);
    const update = await post("/v1/identities.updateIdentity", { meta: {} });
    expect(update.status).toBe(400);
    expect(update.body.error.message).toContain("identityId");
    expect((await post("/v1/identities.deleteIdentity", {})).status).toBe(400);
  });

  it("is a 404 for identities that do not exist", async () => {
    expect((await get("/v1/identities.getIdentity", { identityId: "id_missing" })).status).toBe(404);
    expect((await get("/v1/identities.getIdentity", { externalId: uniqueName("nobody") })).status).toBe(404);
    expect((await post("/v1/identities.updateIdentity", { identityId: "id_missing", meta: {} })).status).toBe(404);
    expect((await post("/v1/identities.deleteIdentity", { identityId: "id_missing" })).status).toBe(404);
  });

  it("is a 404 when identityId and externalId name different identities", async () => {
    const a = (await create({ externalId: uniqueName("a") })).body.identityId;
    const b = uniqueName("b");
    await create({ externalId: b });
    expect((await get("/v1/identities.getIdentity", { identityId: a, externalId: b })).status).toBe(404);
  });

  it("is a 404 for a deleted identity, and deleting twice", async () => {
    const { identityId } = (await create({ externalId: uniqueName("user") })).body;
    expect((await post("/v1/identities.deleteIdentity", { identityId })).status).toBe(200);
    expect((await post("/v1/identities.deleteIdentity", { identityId })).status).toBe(404);
    expect((await post("/v1/identities.updateIdentity", { identityId, meta: {} })).status).toBe(404);
  });

  it("rejects out-of-range page sizes", async () => {
    expect((await get("/v1/identities.listIdentities", { limit: "0" })).status).toBe(400);
    expect((await get("/v1/identities.listIdentities", { limit: "101" })).status).toBe(400);
    expect((await get("/v1/identities.listIdentities", { limit: "abc" })).status).toBe(400);
  });
});
