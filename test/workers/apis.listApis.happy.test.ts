import { describe, expect, it } from "vitest";
import { get, post } from "../helpers/harness";
import { otherWorkspaceRootKey } from "../helpers/rootKeys";

/** Each test lists a workspace of its own, so apis made by other tests never show up. */
async function workspaceWithApis(bodies: Record<string, unknown>[]) {
  const rootKey = await otherWorkspaceRootKey();
  const apiIds: string[] = [];
  for (const body of bodies) {
    const res = await post("/v1/apis.createApi", body, { rootKey });
    expect(res.status).toBe(200);
    apiIds.push(res.body.apiId);
  }
  return { rootKey, apiIds };
}

describe("apis.listApis happy paths", () => {
  it("lists the workspace's apis in id order, each as apis.getApi shows it", async () => {
    const { rootKey, apiIds } = await workspaceWithApis([
      { name: "billing", ipAllowlist: ["203.0.113.0/24"], keyPrefixes: { production: "bill_live" } },
      { name: "search", verifyMaxStalenessMs: 1000 },
    ]);
    const res = await get("/v1/apis.listApis", {}, { rootKey });
    expect(res.status).toBe(200);
    expect(res.body.cursor).toBeUndefined();
    expect(res.body.apis.map((api: { id: string }) => api.id)).toEqual([...apiIds].sort());
    for (const api of res.body.apis) expect(api).toEqual((await get("/v1/apis.getApi", { apiId: api.id }, { rootKey })).body);
    expect(res.body.apis.find((api: { name: string }) => api.name === "billing")).toMatchObject({
      ipAllowlist: ["203.0.113.0/24"],
      keyPrefixes: { production: "bill_live" },
      verifyMaxStalenessMs: null,
    });
  });

  it("pages with limit and cursor, each api once", async () => {
    const { rootKey, apiIds } = await workspaceWithApis([{ name: "a" }, { name: "b" }, { name: "c" }]);
    const first = await get("/v1/apis.listApis", { limit: "2" }, { rootKey });
    expect(first.body.apis).toHaveLength(2);
    expect(first.body.cursor).toBe(first.body.apis[1].id);
    const second = await get("/v1/apis.listApis", { limit: "2", cursor: first.body.cursor }, { rootKey });
    expect(second.body.apis).toHaveLength(1);
    expect(second.body.cursor).toBeUndefined();
    expect([...first.body.apis, ...second.body.apis].map((api: { id: string }) => api.id)).toEqual([...apiIds].sort());
  });

  it("leaves out deleted apis, and answers an empty list for a workspace without any", async () => {
    const { rootKey, apiIds } = await workspaceWithApis([{ name: "kept" }, { name: "gone" }]);
    expect((await post("/v1/apis.deleteApi", { apiId: apiIds[1] }, { rootKey })).status).toBe(200);
    expect((await get("/v1/apis.listApis", {}, { rootKey })).body.apis.map((api: { id: string }) => api.id)).toEqual([apiIds[0]]);

    const empty = await get("/v1/apis.listApis", {}, { rootKey: await otherWorkspaceRootKey() });
    expect(empty.body).toEqual({ apis: [] });
  });
});
