import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { apiWithKey, get, post } from "../helpers/harness";
import { rootKeyWith, uniqueName } from "../helpers/rootKeys";

async function workspaceWithRootKey(permissions: string[] = ["*"]) {
  const ws = await post("/v1/workspaces.createWorkspace", { name: `ws-${crypto.randomUUID()}` });
  expect(ws.status).toBe(200);
  const root = await post("/v1/rootKeys.createRootKey", { workspaceId: ws.body.workspaceId, name: "admin", permissions });
  expect(root.status).toBe(200);
  return { workspaceId: ws.body.workspaceId as string, rootKey: root.body.key as string, rootKeyId: root.body.keyId as string };
}

describe("workspaces and root keys", () => {
  it("keeps another workspace's resources invisible: read, update, delete and create are all 404", async () => {
    const foreign = await apiWithKey();
    const { rootKey } = await workspaceWithRootKey();
    const as = { rootKey };
    expect((await get("/v1/keys.getKey", { keyId: foreign.keyId }, as)).status).toBe(404);
    expect((await get("/v1/apis.getApi", { apiId: foreign.apiId }, as)).status).toBe(404);
    expect((await get("/v1/apis.listKeys", { apiId: foreign.apiId }, as)).status).toBe(404);
    expect((await post("/v1/keys.updateKey", { keyId: foreign.keyId, enabled: false }, as)).status).toBe(404);
    expect((await post("/v1/keys.deleteKey", { keyId: foreign.keyId }, as)).status).toBe(404);
    expect((await post("/v1/keys.revokeKey", { keyId: foreign.keyId }, as)).status).toBe(404);
    expect((await post("/v1/keys.createKey", { apiId: foreign.apiId }, as)).status).toBe(404);
    expect((await post("/v1/apis.deleteApi", { apiId: foreign.apiId }, as)).status).toBe(404);
    expect((await post("/v1/keys.whoami", { key: foreign.key }, as)).status).toBe(404);
    // And the foreign key is untouched.
    const { verify } = await import("../helpers/harness");
    expect((await verify(foreign.key)).code).toBe("VALID");
  });

  it("works inside its own workspace", async () => {
    const { rootKey, workspaceId } = await workspaceWithRootKey();
    const api = await post("/v1/apis.createApi", { name: "mine" }, { rootKey });
    expect(api.status).toBe(200);
    const key = await post("/v1/keys.createKey", { apiId: api.body.apiId }, { rootKey });
    const { body } = await get("/v1/keys.getKey", { keyId: key.body.keyId }, { rootKey });
    expect(body.workspaceId).toBe(workspaceId);
    const logs = await get("/v1/audit.listLogs", {}, { rootKey });
    expect(logs.body.logs.map((l: any) => l.event)).toContain("key.create");
    const defaultLogs = await get("/v1/audit.listLogs", { keyId: key.body.keyId });
    expect(defaultLogs.body.logs).toEqual([]);
  });

  it("enforces permissions per endpoint: create_key alone cannot delete or read", async () => {
    const foreign = await apiWithKey();
    const { body: limited } = await post("/v1/rootKeys.createRootKey", { name: "creator", permissions: [`api.${foreign.apiId}.create_key`] });
    const as = { rootKey: limited.key };
    expect((await post("/v1/keys.createKey", { apiId: foreign.apiId }, as)).status).toBe(200);
    const del = await post("/v1/keys.deleteKey", { keyId: foreign.keyId }, as);
    expect(del.status).toBe(403);
    expect(del.body.error.code).toBe("INSUFFICIENT_PERMISSIONS");
    expect((await get("/v1/keys.getKey", { keyId: foreign.keyId }, as)).status).toBe(403);
    const other = await apiWithKey();
    expect((await post("/v1/keys.createKey", { apiId: other.apiId }, as)).status).toBe(403);
  });

  it("lets only the bootstrap key create workspaces, and no root key grant more than it holds", async () => {
    const { rootKey } = await workspaceWithRootKey(["*"]);
    expect((await post("/v1/workspaces.createWorkspace", { name: "nope" }, { rootKey })).status).toBe(403);
    const { body: narrow } = await post("/v1/rootKeys.createRootKey", { name: "narrow", permissions: ["api.*.read_key", "root_key.*.create_root_key"] });
    const escalate = await post("/v1/rootKeys.createRootKey", { name: "wide", permissions: ["*"] }, { rootKey: narrow.key });
    expect(escalate.status).toBe(403);
    const other = await post("/v1/rootKeys.createRootKey", { name: "x", permissions: [], workspaceId: "ws_default" }, { rootKey });
    expect(other.status).toBe(404);
  });

  it("refuses a deleted root key on its next call, and never lists plaintext", async () => {
    const { rootKey, rootKeyId } = await workspaceWithRootKey();
    expect((await get("/v1/rootKeys.listRootKeys", {}, { rootKey })).body.rootKeys).toEqual([
      expect.objectContaining({ id: rootKeyId, start: rootKey.slice(0, "kg_root_".length + 4) }),
    ]);
    expect(JSON.stringify((await get("/v1/rootKeys.listRootKeys", {}, { rootKey })).body)).not.toContain(rootKey);
    expect((await post("/v1/rootKeys.deleteRootKey", { keyId: rootKeyId }, { rootKey })).status).toBe(200);
    const after = await post("/v1/apis.createApi", { name: "late" }, { rootKey });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("UNAUTHORIZED");
  });

  it("answers 401 without or with a wrong root key", async () => {
    expect((await post("/v1/apis.createApi", { name: "x" }, { rootKey: null })).status).toBe(401);
    expect((await post("/v1/apis.createApi", { name: "x" }, { rootKey: "wrong" })).status).toBe(401);
    const malformed = await post("/v1/apis.createApi", { name: "x" }, { rootKey: null, headers: { authorization: "Basic abc" } });
    expect(malformed.status).toBe(401);
  });
});

describe("root keys made by root keys", () => {
  const storedNamed = async (name: string) => (await env.DB.prepare("SELECT COUNT(*) AS n FROM root_keys WHERE name = ?").bind(name).first<{ n: number }>())!.n;

  it("cannot outlive the root key that creates them: no expiry or a later one is a 400 naming its expiry, and stores nothing", async () => {
    const creatorExpires = Date.now() + 60_000;
    const creator = await post("/v1/rootKeys.createRootKey", { name: "short-lived", permissions: ["root_key.*.create_root_key"], expires: creatorExpires });
    expect(creator.status).toBe(200);
    const as = { rootKey: creator.body.key };

    for (const expires of [undefined, creatorExpires + 1, creatorExpires + 86_400_000]) {
      const name = uniqueName("child");
      const res = await post("/v1/rootKeys.createRootKey", { name, permissions: [], expires }, as);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("BAD_REQUEST");
      expect(res.body.error.message).toContain(String(creatorExpires));
      expect(res.body.error.message).toContain("cannot outlive");
      expect(await storedNamed(name)).toBe(0);
    }
    for (const expires of [creatorExpires, creatorExpires - 30_000]) {
      const name = uniqueName("child");
      expect((await post("/v1/rootKeys.createRootKey", { name, permissions: [], expires }, as)).status).toBe(200);
      expect(await storedNamed(name)).toBe(1);
    }
  });

  it("lists who created each: the bootstrap key, a root key, or null for keys made before it was recorded", async () => {
    const { rootKey, rootKeyId, workspaceId } = await workspaceWithRootKey();
    const child = await post("/v1/rootKeys.createRootKey", { name: "child", permissions: ["api.*.read_api"] }, { rootKey });
    expect(child.status).toBe(200);
    const unrecorded = await rootKeyWith(["api.*.read_api"], workspaceId);
    const { body } = await get("/v1/rootKeys.listRootKeys", {}, { rootKey });
    expect(body.rootKeys).toHaveLength(3);
    expect(body.rootKeys).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: rootKeyId, createdBy: "root_bootstrap" }),
        expect.objectContaining({ id: child.body.keyId, createdBy: rootKeyId }),
        expect.objectContaining({ start: unrecorded.slice(0, 10), createdBy: null }),
      ]),
    );
  });

  it("keep working after the root key that made them is deleted: each must be deleted by itself", async () => {
    const { rootKey, rootKeyId } = await workspaceWithRootKey();
    const child = await post("/v1/rootKeys.createRootKey", { name: "child", permissions: ["api.*.create_api"] }, { rootKey });
    expect((await post("/v1/rootKeys.deleteRootKey", { keyId: rootKeyId }, { rootKey })).status).toBe(200);
    expect((await post("/v1/apis.createApi", { name: "by-parent" }, { rootKey })).status).toBe(401);
    expect((await post("/v1/apis.createApi", { name: "by-child" }, { rootKey: child.body.key })).status).toBe(200);
  });
});
