import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { post } from "../helpers/harness";
import { otherWorkspaceRootKey, rootKeyWith, uniqueName } from "../helpers/rootKeys";
import { forbidden } from "../helpers/unkeyV2Sdk";

const operations = [
  "identities.createIdentity",
  "identities.getIdentity",
  "identities.listIdentities",
  "identities.updateIdentity",
  "identities.deleteIdentity",
];

const identityOf = (externalId: string) =>
  env.DB.prepare("SELECT id, meta, deleted_at FROM identities WHERE external_id = ?")
    .bind(externalId)
    .first<{ id: string; meta: string; deleted_at: number | null }>();

describe("v2 identities security", () => {
  it("needs a valid root key for every operation", async () => {
    for (const operation of operations) {
      for (const rootKey of [null, "not_a_root_key"]) {
        const res = await post(`/v2/${operation}`, { identity: "x", externalId: "x" }, { rootKey });
        expect(res.status, operation).toBe(401);
        expect(res.body.error).toMatchObject({ title: "Unauthorized", status: 401, type: "docs/errors.md#unauthorized" });
      }
    }
  });

  it("needs identity.*.create_identity to create, and writes nothing without it", async () => {
    const externalId = uniqueName("denied");
    const reader = await rootKeyWith(["identity.*.read_identity", "identity.*.update_identity"]);
    await forbidden(
      "identities.createIdentity",
      { externalId, ratelimits: [{ name: "r", limit: 1, duration: 1000, autoApply: true }] },
      reader,
      "identity.*.create_identity",
    );
    expect(await identityOf(externalId)).toBeNull();
  });

  it("needs read_identity to read and list, update_identity to update and delete_identity to delete", async () => {
    const externalId = uniqueName("guarded");
    await post("/v2/identities.createIdentity", { externalId, meta: { v: 1 } });
    const none = await rootKeyWith(["identity.*.create_identity"]);
    await forbidden("identities.getIdentity", { identity: externalId }, none, "identity.*.read_identity");
    await forbidden("identities.listIdentities", {}, none, "identity.*.read_identity");
    await forbidden("identities.updateIdentity", { identity: externalId, meta: { v: 2 } }, none, "identity.*.update_identity");
    await forbidden("identities.deleteIdentity", { identity: externalId }, none, "identity.*.delete_identity");
    expect(await identityOf(externalId)).toMatchObject({ meta: '{"v":1}', deleted_at: null });

    // Unknown identities are 403 too: a caller without the permission learns nothing of what exists.
    await forbidden("identities.getIdentity", { identity: "nobody_here" }, none, "identity.*.read_identity");

    const granted = await rootKeyWith(["identity.*.read_identity", "identity.*.update_identity", "identity.*.delete_identity"]);
    expect((await post("/v2/identities.getIdentity", { identity: externalId }, { rootKey: granted })).status).toBe(200);
    expect((await post("/v2/identities.updateIdentity", { identity: externalId, meta: { v: 2 } }, { rootKey: granted })).status).toBe(200);
    expect((await post("/v2/identities.deleteIdentity", { identity: externalId }, { rootKey: granted })).status).toBe(200);
  });

  it("answers 404 for another workspace's identity, by id or externalId, and changes nothing in it", async () => {
    const externalId = uniqueName("ours");
    const identityId = (await post("/v2/identities.createIdentity", { externalId, meta: { owner: "us" } })).body.data.identityId;
    const theirs = await otherWorkspaceRootKey();
    for (const identity of [identityId, externalId]) {
      for (const [operation, body] of [
        ["identities.getIdentity", { identity }],
        ["identities.updateIdentity", { identity, meta: { owner: "them" } }],
        ["identities.deleteIdentity", { identity }],
      ] as const) {
        const res = await post(`/v2/${operation}`, body, { rootKey: theirs });
        expect(res.status, operation).toBe(404);
      }
    }
    expect((await post("/v2/identities.listIdentities", {}, { rootKey: theirs })).body.data).toEqual([]);
    expect(await identityOf(externalId)).toMatchObject({ meta: '{"owner":"us"}', deleted_at: null });

    // The same externalId in their workspace is their own identity.
    const mirrored = await post("/v2/identities.createIdentity", { externalId }, { rootKey: theirs });
    expect(mirrored.status).toBe(200);
    expect(mirrored.body.data.identityId).not.toBe(identityId);
  });
});
