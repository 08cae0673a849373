import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { apiWithKey, call, createKey, get, post, verify } from "../helpers/harness";
import { uniqueName } from "../helpers/rootKeys";

const meta = { requestId: expect.stringMatching(/^req_/) };
const DAY_MS = 24 * 60 * 60 * 1000;

/** Moves a key's counts to D1 now, instead of on its alarm ~10 s later. */
const flush = (keyId: string) => runDurableObjectAlarm(env.KEY_STATE.get(env.KEY_STATE.idFromName(keyId)));

/** A new workspace and a root key of it holding every permission, made through v2. */
async function workspaceWithRootKey() {
  const workspace = await post("/v2/workspaces.createWorkspace", { name: uniqueName("ws") });
  expect(workspace.status).toBe(200);
  expect(workspace.body).toEqual({ meta, data: { workspaceId: expect.stringMatching(/^ws_/) } });
  const { workspaceId } = workspace.body.data;
  const root = await post("/v2/rootKeys.createRootKey", { workspaceId, name: "admin", permissions: ["*"] });
  expect(root.body).toEqual({ meta, data: { keyId: expect.stringMatching(/^root_/), key: expect.stringMatching(/^kg_root_/) } });
  return { workspaceId: workspaceId as string, rootKey: root.body.data.key as string, rootKeyId: root.body.data.keyId as string };
}

describe("v2 liveness", () => {
  it("answers OK without a root key, in the v2 envelope", async () => {
    const res = await call("GET", "/v2/liveness", { rootKey: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ meta, data: { message: "OK" } });
    expect(res.body.meta.requestId).toBe(res.headers.get("unkey-request-id"));
  });
});

describe("v2 analytics.getVerificationCounts", () => {
  it("answers what v1 analytics.getVerifications does, from a JSON body", async () => {
    const { apiId, keyId, key } = await apiWithKey({ remaining: 1 });
    const other = await createKey(apiId);
    expect((await verify(key, { tags: ["path=/a"] })).code).toBe("VALID");
    expect((await verify(key, { tags: ["path=/a"] })).code).toBe("USAGE_EXCEEDED");
    expect((await verify(other.key)).code).toBe("VALID");
    await flush(keyId);
    await flush(other.keyId);

    const totals = await post("/v2/analytics.getVerificationCounts", { apiId });
    expect(totals.status).toBe(200);
    expect(totals.body).toEqual({ meta, data: [expect.objectContaining({ valid: 2, usageExceeded: 1, total: 3 })] });
    expect(totals.body.data).toEqual((await get("/v1/analytics.getVerifications", { apiId })).body);

    const perKey = await post("/v2/analytics.getVerificationCounts", { apiId, groupBy: ["day", "key"], keyIds: [keyId], orderBy: "total", order: "desc" });
    expect(perKey.body.data).toEqual([
      expect.objectContaining({ time: Math.floor(Date.now() / DAY_MS) * DAY_MS, keyId, valid: 1, usageExceeded: 1, total: 2 }),
    ]);
    const tagged = await post("/v2/analytics.getVerificationCounts", { apiId, tags: ["path=/a"], groupBy: ["tag"] });
    expect(tagged.body.data).toEqual([expect.objectContaining({ tag: "path=/a", total: 2 })]);
  });
});

describe("v2 audit.listLogs", () => {
  it("pages through the workspace's audit trail, newest first, filtered as asked", async () => {
    const { rootKey } = await workspaceWithRootKey();
    for (const name of ["one", "two", "three"]) await post("/v1/apis.createApi", { name }, { rootKey });

    const first = await post("/v2/audit.listLogs", { event: "api.create", limit: 2 }, { rootKey });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ meta, data: expect.any(Array), pagination: { cursor: expect.any(String), hasMore: true } });
    expect(first.body.data[0]).toEqual({
      id: expect.stringMatching(/^log_/),
      time: expect.any(Number),
      event: "api.create",
      actor: { type: "root_key", id: expect.stringMatching(/^root_/) },
      resources: [{ type: "api", id: expect.stringMatching(/^api_/) }],
      description: expect.stringContaining("three"),
      context: {},
    });
    const rest = await post("/v2/audit.listLogs", { event: "api.create", limit: 2, cursor: first.body.pagination.cursor }, { rootKey });
    expect(rest.body.data.map((log: any) => log.description)).toEqual([expect.stringContaining("one")]);
    expect(rest.body.pagination).toEqual({ hasMore: false });

    const everything = await post("/v2/audit.listLogs", {}, { rootKey });
    expect(everything.body.data.map((log: any) => log.event)).toEqual(["api.create", "api.create", "api.create", "root_key.create", "workspace.create"]);
  });

  it("keeps the caller's address and user agent when the request had them", async () => {
    const { rootKey } = await workspaceWithRootKey();
    await post("/v1/apis.createApi", { name: "seen" }, { rootKey, headers: { "cf-connecting-ip": "203.0.113.9", "user-agent": "tests/1.0" } });
    const [log] = (await post("/v2/audit.listLogs", { event: "api.create" }, { rootKey })).body.data;
    expect(log.context).toEqual({ ipAddress: "203.0.113.9", userAgent: "tests/1.0" });
  });
});

describe("v2 workspaces and root keys", () => {
  it("creates a workspace and a root key that acts in it, and lists only that workspace's root keys", async () => {
    const { workspaceId, rootKey, rootKeyId } = await workspaceWithRootKey();
    const listed = await post("/v2/rootKeys.listRootKeys", {}, { rootKey });
    expect(listed.body).toEqual({
      meta,
      data: [{ id: rootKeyId, name: "admin", start: expect.any(String), permissions: ["*"], createdAt: expect.any(Number), createdBy: "root_bootstrap" }],
      pagination: { hasMore: false },
    });
    const row = await env.DB.prepare("SELECT workspace_id FROM root_keys WHERE id = ?").bind(rootKeyId).first<{ workspace_id: string }>();
    expect(row?.workspace_id).toBe(workspaceId);
  });

  it("lists root keys a page at a time, oldest first", async () => {
    const { rootKey, rootKeyId } = await workspaceWithRootKey();
    const created: string[] = [rootKeyId];
    for (const name of ["b", "c"]) created.push((await post("/v2/rootKeys.createRootKey", { name, permissions: [] }, { rootKey })).body.data.keyId);

    const first = await post("/v2/rootKeys.listRootKeys", { limit: 2 }, { rootKey });
    expect(first.body.pagination).toEqual({ cursor: expect.any(String), hasMore: true });
    const second = await post("/v2/rootKeys.listRootKeys", { limit: 2, cursor: first.body.pagination.cursor }, { rootKey });
    expect(second.body.pagination).toEqual({ hasMore: false });
    expect([...first.body.data, ...second.body.data].map((key: any) => key.id)).toEqual(created);
    expect(second.body.data[0]).toMatchObject({ name: "c", permissions: [], createdBy: rootKeyId });
  });

  it("deletes a root key: its next call is refused", async () => {
    const { rootKey } = await workspaceWithRootKey();
    const doomed = (await post("/v2/rootKeys.createRootKey", { name: "doomed", permissions: ["audit.*.read_logs"] }, { rootKey })).body.data;
    expect((await post("/v2/audit.listLogs", {}, { rootKey: doomed.key })).status).toBe(200);
    const deleted = await post("/v2/rootKeys.deleteRootKey", { keyId: doomed.keyId }, { rootKey });
    expect(deleted.body).toEqual({ meta, data: {} });
    expect((await post("/v2/audit.listLogs", {}, { rootKey: doomed.key })).status).toBe(401);
    const [log] = (await post("/v2/audit.listLogs", { event: "root_key.delete" }, { rootKey })).body.data;
    expect(log.resources).toEqual([{ type: "root_key", id: doomed.keyId }]);
  });

  it("shares root keys and audit entries with v1", async () => {
    const { rootKey } = await workspaceWithRootKey();
    const viaV2 = (await post("/v2/rootKeys.createRootKey", { name: "from-v2", permissions: [] }, { rootKey })).body.data;
    expect((await get("/v1/rootKeys.listRootKeys", {}, { rootKey })).body.rootKeys.map((key: any) => key.id)).toContain(viaV2.keyId);
    const viaV1 = (await post("/v1/rootKeys.createRootKey", { name: "from-v1", permissions: [] }, { rootKey })).body;
    expect((await post("/v2/rootKeys.deleteRootKey", { keyId: viaV1.keyId }, { rootKey })).status).toBe(200);
    expect((await get("/v1/rootKeys.listRootKeys", {}, { rootKey })).body.rootKeys.map((key: any) => key.id)).not.toContain(viaV1.keyId);

    const v1Logs = (await get("/v1/audit.listLogs", {}, { rootKey })).body.logs;
    const v2Logs = (await post("/v2/audit.listLogs", {}, { rootKey })).body.data;
    expect(v2Logs.map((log: any) => log.id)).toEqual(v1Logs.map((log: any) => log.id));
  });
});

describe("the OpenAPI document", () => {
  it("documents these v2 operations, and says what to use instead of SQL analytics", async () => {
    const doc = (await call("GET", "/openapi.json", { rootKey: null })).body;
    for (const path of [
      "/v2/ratelimit.limit",
      "/v2/ratelimit.multiLimit",
      "/v2/ratelimit.setOverride",
      "/v2/ratelimit.getOverride",
      "/v2/ratelimit.listOverrides",
      "/v2/ratelimit.deleteOverride",
      "/v2/analytics.getVerificationCounts",
      "/v2/audit.listLogs",
      "/v2/workspaces.createWorkspace",
      "/v2/rootKeys.createRootKey",
      "/v2/rootKeys.listRootKeys",
      "/v2/rootKeys.deleteRootKey",
    ]) {
      expect(doc.paths[path]?.post, path).toBeDefined();
    }
    expect(doc.paths["/v2/liveness"].get.security).toBeUndefined();
    const sql = doc.paths["/v2/analytics.getVerifications"].post;
    expect(sql.description).toContain("/v2/analytics.getVerificationCounts");
    expect(sql.responses["200"]).toBeUndefined();
    expect(sql.responses["400"].description).toContain("Always");
  });
});
