import { describe, expect, it } from "vitest";
import { createApi, createKey, post } from "../helpers/harness";
import { otherWorkspaceRootKey, rootKeyWith } from "../helpers/rootKeys";

const verifyWith = (rootKey: string | null, body: unknown) => post("/v2/keys.verifyKey", body, { rootKey });

describe("v2 keys.verifyKey security", () => {
  it("needs a root key: none is 401 in the v2 envelope", async () => {
    const { key } = await createKey(await createApi());
    const res = await verifyWith(null, { key });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ meta: { requestId: expect.any(String) }, error: { status: 401, title: "Unauthorized" } });
  });

  it("refuses a root key without any verify permission (403), before spending anything", async () => {
    const { keyId, key } = await createKey(await createApi(), { remaining: 1 });
    const res = await verifyWith(await rootKeyWith(["api.*.read_key", "api.*.create_key"]), { key });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ status: 403, title: "Forbidden" });
    // The one credit is still there.
    expect((await post("/v2/keys.verifyKey", { key })).body.data).toMatchObject({ valid: true, keyId, credits: 0 });
  });

  it("answers NOT_FOUND for a key of an api the root key may not verify, and charges nothing", async () => {
    const allowedApi = await createApi();
    const otherApi = await createApi();
    const { key } = await createKey(otherApi, { remaining: 1 });
    const narrow = await rootKeyWith([`api.${allowedApi}.verify_key`]);
    const res = await verifyWith(narrow, { key });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ valid: false, code: "NOT_FOUND" });
    // The one credit is still there.
    expect((await verifyWith(await rootKeyWith([`api.${otherApi}.verify_key`]), { key })).body.data).toMatchObject({ valid: true, credits: 0 });
  });

  it("answers NOT_FOUND for another workspace's key, even to a root key with every permission", async () => {
    const { key } = await createKey(await createApi());
    const res = await verifyWith(await otherWorkspaceRootKey(), { key });
    expect(res.body.data).toEqual({ valid: false, code: "NOT_FOUND" });
  });

  it("accepts api.*.verify_key and api.<apiId>.verify_key alike", async () => {
    const apiId = await createApi();
    const { key } = await createKey(apiId);
    for (const permission of ["api.*.verify_key", `api.${apiId}.verify_key`]) {
      expect((await verifyWith(await rootKeyWith([permission]), { key })).body.data).toMatchObject({ valid: true, code: "VALID" });
    }
  });
});
