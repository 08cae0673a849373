import { describe, expect, it } from "vitest";
import { get, post } from "../helpers/harness";
import { otherWorkspaceRootKey, rootKeyWith } from "../helpers/rootKeys";

const ids = (res: { body: { apis: { id: string }[] } }) => res.body.apis.map((api) => api.id);

describe("apis.listApis security", () => {
  it("never lists another workspace's apis", async () => {
    const ours = (await post("/v1/apis.createApi", { name: "ours" })).body.apiId;
    const rootKey = await otherWorkspaceRootKey();
    const theirs = (await post("/v1/apis.createApi", { name: "theirs" }, { rootKey })).body.apiId;
    expect(ids(await get("/v1/apis.listApis", {}, { rootKey }))).toEqual([theirs]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await get("/v1/apis.listApis", cursor ? { cursor } : {});
      seen.push(...ids(page));
      cursor = page.body.cursor;
    } while (cursor);
    expect(seen).toContain(ours);
    expect(seen).not.toContain(theirs);
  });

  it("needs a read_api permission: 403 naming it, for a root key that can only create", async () => {
    const rootKey = await rootKeyWith(["api.*.create_api", "api.*.read_key"]);
    const res = await get("/v1/apis.listApis", {}, { rootKey });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("INSUFFICIENT_PERMISSIONS");
    expect(res.body.error.message).toContain("api.*.read_api");
  });

  it("shows a root key with api.<apiId>.read_api only those apis", async () => {
    const workspaceId = `ws_${crypto.randomUUID()}`;
    const admin = await rootKeyWith(["*"], workspaceId);
    const [a, b, c] = await Promise.all(["a", "b", "c"].map(async (name) => (await post("/v1/apis.createApi", { name }, { rootKey: admin })).body.apiId));
    const reader = await rootKeyWith([`api.${a}.read_api`, `api.${c}.read_api`, `api.${b}.read_key`], workspaceId);
    expect(ids(await get("/v1/apis.listApis", {}, { rootKey: reader }))).toEqual([a, c].sort());

    // Pages may then hold fewer than the limit, and following the cursor still finds each readable api once.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await get("/v1/apis.listApis", { limit: "1", ...(cursor ? { cursor } : {}) }, { rootKey: reader });
      seen.push(...ids(page));
      cursor = page.body.cursor;
    } while (cursor);
    expect(seen).toEqual([a, c].sort());
  });

  it("answers the same for api.*.read_api as for *", async () => {
    const workspaceId = `ws_${crypto.randomUUID()}`;
    const admin = await rootKeyWith(["*"], workspaceId);
    await post("/v1/apis.createApi", { name: "one" }, { rootKey: admin });
    const reader = await rootKeyWith(["api.*.read_api"], workspaceId);
    expect((await get("/v1/apis.listApis", {}, { rootKey: reader })).body).toEqual((await get("/v1/apis.listApis", {}, { rootKey: admin })).body);
  });
});
