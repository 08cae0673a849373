import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { apiWithKey, get, verify } from "../helpers/harness";
import { otherWorkspaceRootKey, rootKeyWith, uniqueName } from "../helpers/rootKeys";

async function verifiedKey(extra: Record<string, unknown> = {}) {
  const created = await apiWithKey(extra);
  await verify(created.key);
  await runDurableObjectAlarm(env.KEY_STATE.get(env.KEY_STATE.idFromName(created.keyId)));
  return created;
}

describe("verification counts security", () => {
  it("needs a root key", async () => {
    const { keyId, apiId } = await verifiedKey();
    expect((await get("/v1/keys.getVerifications", { keyId }, { rootKey: null })).status).toBe(401);
    expect((await get("/v1/analytics.getVerifications", { apiId }, { rootKey: null })).status).toBe(401);
  });

  it("needs read_key on the key's api for keys.getVerifications", async () => {
    const { keyId, apiId } = await verifiedKey();
    const denied = await get("/v1/keys.getVerifications", { keyId }, { rootKey: await rootKeyWith(["api.*.read_analytics", "api.*.read_api"]) });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("INSUFFICIENT_PERMISSIONS");
    expect((await get("/v1/keys.getVerifications", { keyId }, { rootKey: await rootKeyWith([`api.${apiId}.read_key`]) })).status).toBe(200);
    expect((await get("/v1/keys.getVerifications", { keyId }, { rootKey: await rootKeyWith(["api.api_other.read_key"]) })).status).toBe(403);
  });

  it("needs read_key on every api an owner has keys in", async () => {
    const ownerId = uniqueName("owner");
    const first = await verifiedKey({ externalId: ownerId });
    const second = await verifiedKey({ externalId: ownerId });
    const oneApi = { rootKey: await rootKeyWith([`api.${first.apiId}.read_key`]) };
    expect((await get("/v1/keys.getVerifications", { ownerId }, oneApi)).status).toBe(403);
    const both = { rootKey: await rootKeyWith([`api.${first.apiId}.read_key`, `api.${second.apiId}.read_key`]) };
    expect((await get("/v1/keys.getVerifications", { ownerId }, both)).body.verifications[0].success).toBe(2);
    // Asking about an owner without keys needs the wildcard, so it reveals nothing either.
    expect((await get("/v1/keys.getVerifications", { ownerId: uniqueName("nobody") }, oneApi)).status).toBe(403);
  });

  it("needs read_analytics on the api for analytics.getVerifications", async () => {
    const { apiId } = await verifiedKey();
    expect((await get("/v1/analytics.getVerifications", { apiId }, { rootKey: await rootKeyWith(["api.*.read_key"]) })).status).toBe(403);
    expect((await get("/v1/analytics.getVerifications", { apiId }, { rootKey: await rootKeyWith(["api.*.read_analytics"]) })).status).toBe(200);
    expect((await get("/v1/analytics.getVerifications", { apiId }, { rootKey: await rootKeyWith([`api.${apiId}.read_analytics`]) })).status).toBe(200);
  });

  it("keeps another workspace's counts invisible", async () => {
    const { keyId, apiId } = await verifiedKey();
    const as = { rootKey: await otherWorkspaceRootKey() };
    expect((await get("/v1/keys.getVerifications", { keyId }, as)).status).toBe(404);
    expect((await get("/v1/analytics.getVerifications", { apiId }, as)).status).toBe(404);
    const ownerId = uniqueName("owner");
    await verifiedKey({ externalId: ownerId });
    expect((await get("/v1/keys.getVerifications", { ownerId }, as)).body).toEqual({ verifications: [] });
  });
});
