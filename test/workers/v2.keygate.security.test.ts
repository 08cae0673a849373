import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApi, post } from "../helpers/harness";
import { rootKeyWith, uniqueName } from "../helpers/rootKeys";
import { expectV2Error } from "../helpers/unkeyV2Sdk";

const operations = [
  ["/v2/analytics.getVerifications", { query: "SELECT 1" }],
  ["/v2/analytics.getVerificationCounts", { apiId: "api_x" }],
  ["/v2/audit.listLogs", {}],
  ["/v2/workspaces.createWorkspace", { name: "w" }],
  ["/v2/rootKeys.createRootKey", { name: "k", permissions: [] }],
  ["/v2/rootKeys.listRootKeys", {}],
  ["/v2/rootKeys.deleteRootKey", { keyId: "root_x" }],
] as const;

const rootKeyNamed = (name: string) => env.DB.prepare("SELECT id FROM root_keys WHERE name = ?").bind(name).first();

describe("v2 keygate operations security", () => {
  it.each(operations)("%s needs a valid root key", async (path, body) => {
    expectV2Error(await post(path, body, { rootKey: null }), 401);
    expectV2Error(await post(path, body, { rootKey: "not-a-root-key" }), 401);
  });

  it("lets only the bootstrap ROOT_KEY create workspaces", async () => {
    const name = uniqueName("ws");
    const res = await post("/v2/workspaces.createWorkspace", { name }, { rootKey: await rootKeyWith(["*"]) });
    expectV2Error(res, 403);
    expect(await env.DB.prepare("SELECT 1 FROM workspaces WHERE name = ?").bind(name).first()).toBeNull();
  });

  it("creates root keys only with root_key.*.create_root_key, granting no more than the creator holds", async () => {
    const name = uniqueName("root");
    expectV2Error(await post("/v2/rootKeys.createRootKey", { name, permissions: [] }, { rootKey: await rootKeyWith(["root_key.*.read_root_key"]) }), 403);
    const creator = await rootKeyWith(["root_key.*.create_root_key", "api.*.read_key"]);
    const escalating = await post("/v2/rootKeys.createRootKey", { name, permissions: ["api.*.read_key", "api.*.delete_key"] }, { rootKey: creator });
    expectV2Error(escalating, 403);
    expect(escalating.body.error.detail).toContain("api.*.delete_key");
    expect(await rootKeyNamed(name)).toBeNull();
    expect((await post("/v2/rootKeys.createRootKey", { name, permissions: ["api.*.read_key"] }, { rootKey: creator })).status).toBe(200);
  });

  it("creates root keys in its own workspace only: another one is a 404", async () => {
    const foreignWorkspace = `ws_${crypto.randomUUID()}`;
    await rootKeyWith([], foreignWorkspace);
    const name = uniqueName("root");
    expectV2Error(
      await post("/v2/rootKeys.createRootKey", { workspaceId: foreignWorkspace, name, permissions: [] }, { rootKey: await rootKeyWith(["*"]) }),
      404,
    );
    expect(await rootKeyNamed(name)).toBeNull();
  });

  it("lists and deletes root keys with their own permissions, and only the workspace's own", async () => {
    const workspace = `ws_${crypto.randomUUID()}`;
    const reader = await rootKeyWith(["root_key.*.read_root_key"], workspace);
    const listed = await post("/v2/rootKeys.listRootKeys", {}, { rootKey: reader });
    expect(listed.body.data).toHaveLength(1);
    expectV2Error(await post("/v2/rootKeys.listRootKeys", {}, { rootKey: await rootKeyWith(["root_key.*.delete_root_key"], workspace) }), 403);

    // Deleting without the permission, or another workspace's key, leaves the key working.
    const victimId = listed.body.data[0].id;
    expectV2Error(await post("/v2/rootKeys.deleteRootKey", { keyId: victimId }, { rootKey: reader }), 403);
    expectV2Error(await post("/v2/rootKeys.deleteRootKey", { keyId: victimId }, { rootKey: await rootKeyWith(["*"]) }), 404);
    expect((await post("/v2/rootKeys.listRootKeys", {}, { rootKey: reader })).status).toBe(200);
  });

  it("reads the audit trail only with audit.*.read_logs, and only the caller's workspace", async () => {
    expectV2Error(await post("/v2/audit.listLogs", {}, { rootKey: await rootKeyWith(["api.*.read_api"]) }), 403);
    const workspace = `ws_${crypto.randomUUID()}`;
    const auditor = await rootKeyWith(["audit.*.read_logs", "api.*.create_api"], workspace);
    expect((await post("/v2/audit.listLogs", {}, { rootKey: auditor })).body.data).toEqual([]);
    await createApi(uniqueName("elsewhere"));
    await post("/v1/apis.createApi", { name: "own" }, { rootKey: auditor });
    expect((await post("/v2/audit.listLogs", {}, { rootKey: auditor })).body.data.map((log: any) => log.description)).toEqual([expect.stringContaining("own")]);
  });

  it("answers verification counts only with read_analytics on the api, and only for the caller's workspace", async () => {
    const apiId = await createApi();
    expectV2Error(await post("/v2/analytics.getVerificationCounts", { apiId }, { rootKey: await rootKeyWith(["api.*.read_key"]) }), 403);
    const scoped = await rootKeyWith([`api.${apiId}.read_analytics`]);
    expect((await post("/v2/analytics.getVerificationCounts", { apiId }, { rootKey: scoped })).status).toBe(200);
    expectV2Error(await post("/v2/analytics.getVerificationCounts", { apiId: await createApi() }, { rootKey: scoped }), 403);
    expectV2Error(await post("/v2/analytics.getVerificationCounts", { apiId }, { rootKey: await rootKeyWith(["*"], `ws_${crypto.randomUUID()}`) }), 404);
  });
});
