import {
  V2IdentitiesCreateIdentityResponseBody$inboundSchema,
  V2IdentitiesDeleteIdentityResponseBody$inboundSchema,
  V2IdentitiesGetIdentityResponseBody$inboundSchema,
  V2IdentitiesListIdentitiesResponseBody$inboundSchema,
  V2IdentitiesUpdateIdentityResponseBody$inboundSchema,
} from "@unkey/api-v2/models/components";
import { describe, expect, it } from "vitest";
import { apiWithKey, get, post } from "../helpers/harness";
import { auditEventsOf, otherWorkspaceRootKey, uniqueName } from "../helpers/rootKeys";
import { v2 } from "../helpers/unkeyV2Sdk";

const requestId = expect.stringMatching(/^req_/);
const limitId = expect.stringMatching(/^rl_/);

async function createIdentity(body: Record<string, unknown>, rootKey?: string): Promise<string> {
  const res = await v2("identities.createIdentity", body, V2IdentitiesCreateIdentityResponseBody$inboundSchema, rootKey);
  return res.data.identityId;
}

const getIdentity = async (identity: string) => (await v2("identities.getIdentity", { identity }, V2IdentitiesGetIdentityResponseBody$inboundSchema)).data;

describe("v2 identities happy paths", () => {
  it("creates an identity and reads it back by id and by externalId, limits with their id and autoApply", async () => {
    const externalId = uniqueName("user");
    const identityId = await createIdentity({
      externalId,
      meta: { plan: "pro", seats: 3 },
      // The SDK always sends autoApply.
      ratelimits: [
        { name: "requests", limit: 100, duration: 60_000, autoApply: true },
        { name: "heavy", limit: 5, duration: 1000, autoApply: false },
      ],
    });
    expect(identityId).toMatch(/^id_/);

    const expected = {
      id: identityId,
      externalId,
      meta: { plan: "pro", seats: 3 },
      ratelimits: [
        { id: limitId, name: "heavy", limit: 5, duration: 1000, autoApply: false },
        { id: limitId, name: "requests", limit: 100, duration: 60_000, autoApply: true },
      ],
    };
    expect(await getIdentity(identityId)).toEqual(expected);
    expect(await getIdentity(externalId)).toEqual(expected);
    expect(await auditEventsOf(identityId)).toEqual(["identity.create"]);
  });

  it("answers empty meta and limits for an identity made with neither, and takes Keygate's tier", async () => {
    const externalId = uniqueName("bare");
    const identityId = await createIdentity({ externalId });
    expect(await getIdentity(identityId)).toEqual({ id: identityId, externalId, meta: {}, ratelimits: [] });
    const tiered = uniqueName("tiered");
    await createIdentity({ externalId: tiered, tier: "gold" });
    expect(await getIdentity(tiered)).toMatchObject({ externalId: tiered, tier: "gold" });
  });

  it("finds by id before externalId when one identity's externalId is another's id", async () => {
    const first = await createIdentity({ externalId: uniqueName("first") });
    const second = await createIdentity({ externalId: first });
    expect((await getIdentity(first)).id).toBe(first);
    expect((await getIdentity(second)).externalId).toBe(first);
  });

  it("lists identities with their meta and limits, a page at a time", async () => {
    const rootKey = await otherWorkspaceRootKey();
    const ids: string[] = [];
    for (const externalId of ["a", "b", "c"]) {
      ids.push(
        await createIdentity({ externalId, meta: { name: externalId }, ratelimits: [{ name: "r", limit: 1, duration: 1000, autoApply: false }] }, rootKey),
      );
    }
    const first = await v2("identities.listIdentities", { limit: 2 }, V2IdentitiesListIdentitiesResponseBody$inboundSchema, rootKey);
    expect(first.data).toHaveLength(2);
    expect(first.pagination).toEqual({ cursor: expect.any(String), hasMore: true });
    expect(first.data[0]).toEqual({
      id: expect.any(String),
      externalId: expect.any(String),
      meta: { name: first.data[0].externalId },
      ratelimits: [{ id: limitId, name: "r", limit: 1, duration: 1000, autoApply: false }],
    });
    const second = await v2(
      "identities.listIdentities",
      { limit: 2, cursor: first.pagination.cursor },
      V2IdentitiesListIdentitiesResponseBody$inboundSchema,
      rootKey,
    );
    expect(second.data).toHaveLength(1);
    expect(second.pagination).toEqual({ hasMore: false });
    expect([...first.data, ...second.data].map((identity: { id: string }) => identity.id).sort()).toEqual(ids.sort());
  });

  it("lists only identities whose externalId contains the search, ignoring case, however long it is", async () => {
    const rootKey = await otherWorkspaceRootKey();
    const long = `Team-${"x".repeat(80)}`;
    const matching = [await createIdentity({ externalId: `${long}-one` }, rootKey), await createIdentity({ externalId: `${long.toUpperCase()}-two` }, rootKey)];
    await createIdentity({ externalId: "someone else" }, rootKey);
    const found = await v2(
      "identities.listIdentities",
      { limit: 10, search: long.toLowerCase() },
      V2IdentitiesListIdentitiesResponseBody$inboundSchema,
      rootKey,
    );
    expect(found.data.map((identity: { id: string }) => identity.id).sort()).toEqual(matching.sort());
    expect(found.pagination).toEqual({ hasMore: false });
  });

  it("updates only the fields given and answers the identity", async () => {
    const externalId = uniqueName("changing");
    const identityId = await createIdentity({ externalId, meta: { a: 1 }, ratelimits: [{ name: "old", limit: 1, duration: 1000, autoApply: false }] });

    const limits = await v2(
      "identities.updateIdentity",
      { identity: externalId, ratelimits: [{ name: "new", limit: 5, duration: 5000, autoApply: true }] },
      V2IdentitiesUpdateIdentityResponseBody$inboundSchema,
    );
    expect(limits.data).toEqual({
      id: identityId,
      externalId,
      meta: { a: 1 },
      ratelimits: [{ id: limitId, name: "new", limit: 5, duration: 5000, autoApply: true }],
    });

    const meta = await v2("identities.updateIdentity", { identity: identityId, meta: {} }, V2IdentitiesUpdateIdentityResponseBody$inboundSchema);
    expect(meta.data).toMatchObject({ meta: {}, ratelimits: [{ name: "new" }] });

    const cleared = await v2("identities.updateIdentity", { identity: identityId, ratelimits: [] }, V2IdentitiesUpdateIdentityResponseBody$inboundSchema);
    expect(cleared.data).toEqual({ id: identityId, externalId, meta: {}, ratelimits: [] });
    expect(await auditEventsOf(identityId)).toEqual(["identity.create", "identity.update", "identity.update", "identity.update"]);
  });

  it("applies an autoApply limit of the identity to every verify of its keys", async () => {
    const externalId = uniqueName("limited");
    await createIdentity({ externalId, ratelimits: [{ name: "everything", limit: 1, duration: 60_000, autoApply: true }] });
    const { key } = await apiWithKey({ externalId });
    const verifyV1 = async () => (await post("/v1/keys.verifyKey", { key }, { rootKey: null })).body;
    expect((await verifyV1()).valid).toBe(true);
    expect(await verifyV1()).toMatchObject({ valid: false, code: "RATE_LIMITED" });
  });

  it("deletes an identity by externalId, answering meta alone; its keys keep working", async () => {
    const externalId = uniqueName("leaving");
    const identityId = await createIdentity({ externalId });
    const { key } = await apiWithKey({ externalId });

    const res = await v2("identities.deleteIdentity", { identity: externalId }, V2IdentitiesDeleteIdentityResponseBody$inboundSchema);
    expect(res).toEqual({ meta: { requestId } });
    expect((await post("/v2/identities.getIdentity", { identity: identityId })).status).toBe(404);
    expect((await post("/v1/keys.verifyKey", { key }, { rootKey: null })).body.valid).toBe(true);
    expect(await auditEventsOf(identityId)).toEqual(["identity.create", "identity.delete"]);
  });

  it("shares one store with v1, both ways", async () => {
    const externalId = uniqueName("v2.made");
    const identityId = await createIdentity({ externalId, meta: { from: "v2" }, ratelimits: [{ name: "auto", limit: 3, duration: 1000, autoApply: true }] });
    expect((await get("/v1/identities.getIdentity", { externalId })).body).toEqual({
      id: identityId,
      externalId,
      meta: { from: "v2" },
      ratelimits: [{ id: limitId, name: "auto", limit: 3, duration: 1000, autoApply: true }],
    });
    await post("/v1/identities.updateIdentity", { identityId, meta: { from: "v1" } });
    expect((await getIdentity(externalId)).meta).toEqual({ from: "v1" });

    const fromV1 = uniqueName("v1.made");
    const v1Id = (await post("/v1/identities.createIdentity", { externalId: fromV1, ratelimits: [{ name: "plain", limit: 2, duration: 1000 }] })).body
      .identityId;
    expect(await getIdentity(fromV1)).toMatchObject({ id: v1Id, ratelimits: [{ name: "plain", autoApply: false }] });
    expect((await post("/v2/identities.deleteIdentity", { identity: v1Id })).status).toBe(200);
    expect((await get("/v1/identities.getIdentity", { identityId: v1Id })).status).toBe(404);
  });
});
