import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApi, createKey, post } from "../helpers/harness";
import { otherWorkspaceRootKey, rootKeyWith, uniqueName } from "../helpers/rootKeys";
import { forbidden } from "../helpers/unkeyV2Sdk";

const operations = ["apis.createApi", "apis.getApi", "apis.listKeys", "apis.updateApi", "apis.deleteApi"];

const apiNamed = (name: string) => env.DB.prepare("SELECT id FROM apis WHERE name = ?").bind(name).first();
const isLive = async (apiId: string) =>
  (await env.DB.prepare("SELECT deleted_at FROM apis WHERE id = ?").bind(apiId).first<{ deleted_at: number | null }>())?.deleted_at === null;

describe("v2 apis security", () => {
  it("needs a valid root key for every operation", async () => {
    const apiId = await createApi(uniqueName("locked"));
    for (const operation of operations) {
      for (const rootKey of [null, "not_a_root_key"]) {
        const res = await post(`/v2/${operation}`, { apiId, name: "x" }, { rootKey });
        expect(res.status, operation).toBe(401);
        expect(res.body).toEqual({
          meta: { requestId: expect.any(String) },
          error: { title: "Unauthorized", status: 401, type: "docs/errors.md#unauthorized", detail: expect.any(String) },
        });
      }
    }
    expect(await isLive(apiId)).toBe(true);
  });

  it("needs api.*.create_api to create, and writes nothing without it", async () => {
    const name = uniqueName("denied");
    await forbidden("apis.createApi", { name }, await rootKeyWith(["api.*.read_api"]), "api.*.create_api");
    expect(await apiNamed(name)).toBeNull();
    const creator = await rootKeyWith(["api.*.create_api"]);
    expect((await post("/v2/apis.createApi", { name }, { rootKey: creator })).status).toBe(200);
  });

  it("needs read_api to read, read_key to list keys, update_api to update and delete_api to delete, for every api or this one", async () => {
    const apiId = await createApi(uniqueName("guarded"));
    const other = await createApi(uniqueName("other"));
    await createKey(apiId);
    const unrelated = await rootKeyWith([`api.${other}.read_api`, `api.${other}.read_key`, `api.${other}.update_api`, `api.${other}.delete_api`]);

    await forbidden("apis.getApi", { apiId }, unrelated, "read_api");
    await forbidden("apis.listKeys", { apiId }, unrelated, "read_key");
    await forbidden("apis.updateApi", { apiId, verifyMaxStalenessMs: 0 }, unrelated, "update_api");
    await forbidden("apis.deleteApi", { apiId }, unrelated, "delete_api");
    expect((await post("/v2/apis.getApi", { apiId })).body.data.verifyMaxStalenessMs).toBeNull();
    expect(await isLive(apiId)).toBe(true);

    const scoped = await rootKeyWith([`api.${apiId}.read_api`, `api.${apiId}.read_key`, `api.${apiId}.update_api`, `api.${apiId}.delete_api`]);
    expect((await post("/v2/apis.getApi", { apiId }, { rootKey: scoped })).status).toBe(200);
    expect((await post("/v2/apis.listKeys", { apiId }, { rootKey: scoped })).body.data).toHaveLength(1);
    expect((await post("/v2/apis.updateApi", { apiId, verifyMaxStalenessMs: 0 }, { rootKey: scoped })).status).toBe(200);
    expect((await post("/v2/apis.deleteApi", { apiId }, { rootKey: scoped })).status).toBe(200);
    expect(await isLive(apiId)).toBe(false);
  });

  it("answers 404 for another workspace's api and changes nothing in it", async () => {
    const apiId = await createApi(uniqueName("ours"));
    await createKey(apiId);
    const theirs = await otherWorkspaceRootKey();
    for (const [operation, body] of [
      ["apis.getApi", { apiId }],
      ["apis.listKeys", { apiId }],
      ["apis.updateApi", { apiId, ipAllowlist: ["10.0.0.0/8"] }],
      ["apis.deleteApi", { apiId }],
    ] as const) {
      const res = await post(`/v2/${operation}`, body, { rootKey: theirs });
      expect(res.status, operation).toBe(404);
      expect(res.body.error.type).toBe("docs/errors.md#not_found");
    }
    expect(await isLive(apiId)).toBe(true);
    expect((await post("/v2/apis.getApi", { apiId })).body.data.ipAllowlist).toEqual([]);
  });
});
