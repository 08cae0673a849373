import { describe, expect, it } from "vitest";
import { post } from "../helpers/harness";
import { uniqueName } from "../helpers/rootKeys";
import { invalidFields } from "../helpers/unkeyV2Sdk";

const requestId = expect.stringMatching(/^req_/);

const limit = (overrides: Record<string, unknown> = {}) => ({ name: "requests", limit: 10, duration: 1000, autoApply: false, ...overrides });

describe("v2 identities errors", () => {
  it("names each invalid field of a new identity by its location", async () => {
    expect(await invalidFields("identities.createIdentity", {})).toEqual(["body.externalId"]);
    expect(await invalidFields("identities.createIdentity", { externalId: "" })).toEqual(["body.externalId"]);
    expect(await invalidFields("identities.createIdentity", { externalId: "x", meta: "plan" })).toEqual(["body.meta"]);
    expect(
      await invalidFields("identities.createIdentity", {
        externalId: "x",
        ratelimits: [limit({ duration: 10 }), limit({ name: "other", limit: 0, autoApply: "yes" })],
      }),
    ).toEqual(["body.ratelimits[0].duration", "body.ratelimits[1].limit", "body.ratelimits[1].autoApply"]);
    expect(await invalidFields("identities.createIdentity", { externalId: "x", ratelimits: [limit(), limit()] })).toEqual(["body.ratelimits[1].name"]);
    expect(await invalidFields("identities.createIdentity", { externalId: "x", environment: "prod" })).toEqual(["body"]);
  });

  it("needs `identity` to name an identity", async () => {
    expect(await invalidFields("identities.getIdentity", {})).toEqual(["body.identity"]);
    expect(await invalidFields("identities.getIdentity", { identity: "" })).toEqual(["body.identity"]);
    expect(await invalidFields("identities.deleteIdentity", { identityId: "id_x" })).toEqual(["body.identity", "body"]);
    expect(await invalidFields("identities.updateIdentity", { meta: {} })).toEqual(["body.identity"]);
  });

  it("refuses out-of-range pages and an empty search", async () => {
    expect(await invalidFields("identities.listIdentities", { limit: 0 })).toEqual(["body.limit"]);
    expect(await invalidFields("identities.listIdentities", { limit: 101 })).toEqual(["body.limit"]);
    expect(await invalidFields("identities.listIdentities", { limit: 10, search: "" })).toEqual(["body.search"]);
  });

  it("is a 409 to create an externalId already in use", async () => {
    const externalId = uniqueName("taken");
    expect((await post("/v2/identities.createIdentity", { externalId })).status).toBe(200);
    const again = await post("/v2/identities.createIdentity", { externalId });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      meta: { requestId },
      error: { title: "Conflict", status: 409, type: "docs/errors.md#conflict", detail: expect.stringContaining(externalId) },
    });
  });

  it("changes nothing when an update is invalid", async () => {
    const externalId = uniqueName("kept");
    await post("/v2/identities.createIdentity", { externalId, meta: { a: 1 }, ratelimits: [limit()] });
    expect(await invalidFields("identities.updateIdentity", { identity: externalId, meta: { b: 2 }, ratelimits: [limit({ limit: -1 })] })).toEqual([
      "body.ratelimits[0].limit",
    ]);
    const read = await post("/v2/identities.getIdentity", { identity: externalId });
    expect(read.body.data).toMatchObject({ meta: { a: 1 }, ratelimits: [{ name: "requests", limit: 10 }] });
  });

  it("answers 404 for an identity that does not exist or is deleted", async () => {
    for (const operation of ["identities.getIdentity", "identities.updateIdentity", "identities.deleteIdentity"]) {
      const res = await post(`/v2/${operation}`, { identity: "nobody_here" });
      expect(res.status, operation).toBe(404);
      expect(res.body.error).toEqual({ title: "Not Found", status: 404, type: "docs/errors.md#not_found", detail: expect.stringContaining("nobody_here") });
    }
    const externalId = uniqueName("gone");
    await post("/v2/identities.createIdentity", { externalId });
    expect((await post("/v2/identities.deleteIdentity", { identity: externalId })).status).toBe(200);
    expect((await post("/v2/identities.deleteIdentity", { identity: externalId })).status).toBe(404);
  });
});
