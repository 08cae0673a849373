import { describe, expect, it } from "vitest";
import { createApi, createKey, get, post, verify } from "../helpers/harness";
import { otherWorkspaceRootKey, rootKeyWith, uniqueName } from "../helpers/rootKeys";

async function newIdentity() {
  const externalId = uniqueName("user");
  const res = await post("/v1/identities.createIdentity", { externalId, ratelimits: [{ name: "r", limit: 1, duration: 60_000 }] });
  return { externalId, identityId: res.body.identityId as string };
}

describe("identities security", () => {
  it("needs a root key", async () => {
    const none = { rootKey: null };
    expect((await post("/v1/identities.createIdentity", { externalId: uniqueName("u") }, none)).status).toBe(401);
    expect((await get("/v1/identities.getIdentity", { externalId: "x" }, none)).status).toBe(401);
    expect((await get("/v1/identities.listIdentities", {}, none)).status).toBe(401);
    expect((await post("/v1/identities.updateIdentity", { externalId: "x" }, none)).status).toBe(401);
    expect((await post("/v1/identities.deleteIdentity", { identityId: "x" }, none)).status).toBe(401);
    expect((await post("/v1/identities.createIdentity", { externalId: uniqueName("u") }, { rootKey: "wrong" })).status).toBe(401);
  });

  it("needs the matching identity permission for each call", async () => {
    const { identityId, externalId } = await newIdentity();
    const rootKey = await rootKeyWith(["api.*.read_key", "identity.*.read_identity_not"]);
    const as = { rootKey };
    const denied = [
      await post("/v1/identities.createIdentity", { externalId: uniqueName("u") }, as),
      await get("/v1/identities.getIdentity", { identityId }, as),
      await get("/v1/identities.listIdentities", {}, as),
      await post("/v1/identities.updateIdentity", { identityId, meta: { hacked: true } }, as),
      await post("/v1/identities.deleteIdentity", { identityId }, as),
    ];
    for (const res of denied) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("INSUFFICIENT_PERMISSIONS");
    }
    expect((await get("/v1/identities.getIdentity", { externalId })).body.meta).toEqual({});
  });

  it("grants exactly what each permission names", async () => {
    const { identityId } = await newIdentity();
    const reader = { rootKey: await rootKeyWith(["identity.*.read_identity"]) };
    expect((await get("/v1/identities.getIdentity", { identityId }, reader)).status).toBe(200);
    expect((await get("/v1/identities.listIdentities", {}, reader)).status).toBe(200);
    expect((await post("/v1/identities.updateIdentity", { identityId, meta: {} }, reader)).status).toBe(403);

    const creator = { rootKey: await rootKeyWith(["identity.*.create_identity"]) };
    expect((await post("/v1/identities.createIdentity", { externalId: uniqueName("u") }, creator)).status).toBe(200);
    expect((await get("/v1/identities.getIdentity", { identityId }, creator)).status).toBe(403);

    const updater = { rootKey: await rootKeyWith(["identity.*.update_identity"]) };
    expect((await post("/v1/identities.updateIdentity", { identityId, meta: { ok: 1 } }, updater)).status).toBe(200);
    expect((await post("/v1/identities.deleteIdentity", { identityId }, updater)).status).toBe(403);

    const deleter = { rootKey: await rootKeyWith(["identity.*.delete_identity"]) };
    expect((await post("/v1/identities.deleteIdentity", { identityId }, deleter)).status).toBe(200);
  });

  it("keeps identities of other workspaces invisible and untouchable", async () => {
    const { identityId, externalId } = await newIdentity();
    const as = { rootKey: await otherWorkspaceRootKey() };
    expect((await get("/v1/identities.getIdentity", { identityId }, as)).status).toBe(404);
    expect((await get("/v1/identities.getIdentity", { externalId }, as)).status).toBe(404);
    expect((await post("/v1/identities.updateIdentity", { identityId, meta: { hacked: true } }, as)).status).toBe(404);
    expect((await post("/v1/identities.deleteIdentity", { identityId }, as)).status).toBe(404);
    expect((await get("/v1/identities.listIdentities", {}, as)).body.identities.map((i: any) => i.id)).not.toContain(identityId);
    // The same externalId is free in the other workspace, and is a different identity there.
    const theirs = await post("/v1/identities.createIdentity", { externalId, ratelimits: [{ name: "r", limit: 100, duration: 60_000 }] }, as);
    expect(theirs.status).toBe(200);
    expect(theirs.body.identityId).not.toBe(identityId);
    expect((await get("/v1/identities.getIdentity", { identityId })).body.meta).toEqual({});
  });

  it("does not let another workspace's identity of the same externalId share limits with our keys", async () => {
    const { externalId } = await newIdentity();
    const apiId = await createApi();
    const ours = await createKey(apiId, { externalId });

    const rootKey = await otherWorkspaceRootKey();
    await post("/v1/identities.createIdentity", { externalId, ratelimits: [{ name: "r", limit: 1, duration: 60_000 }] }, { rootKey });
    const theirApi = await post("/v1/apis.createApi", { name: "theirs" }, { rootKey });
    const theirs = await post("/v1/keys.createKey", { apiId: theirApi.body.apiId, externalId }, { rootKey });

    expect((await verify(theirs.body.key, { ratelimits: [{ name: "r" }] })).valid).toBe(true);
    expect((await verify(ours.key, { ratelimits: [{ name: "r" }] })).valid).toBe(true);
    expect((await verify(ours.key, { ratelimits: [{ name: "r" }] })).code).toBe("RATE_LIMITED");
  });
});
