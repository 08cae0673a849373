import { env } from "cloudflare:test";
import { ForbiddenErrorResponse, UnauthorizedErrorResponse } from "@unkey/api-v2/models/errors";
import { describe, expect, it } from "vitest";
import { post } from "../helpers/harness";
import { rootKeyWith, uniqueName } from "../helpers/rootKeys";
import { expectV2Error, unkeyV2 } from "../helpers/unkeyV2Sdk";

const limit = (body: Record<string, unknown>, rootKey?: string | null) => post("/v2/ratelimit.limit", { limit: 100, duration: 60_000, ...body }, { rootKey });

async function namespace(workspaceId = "ws_default", rootKey?: string) {
  const name = uniqueName("ns");
  expect((await limit({ namespace: name, identifier: "bootstrap" }, rootKey)).status).toBe(200);
  const row = await env.DB.prepare("SELECT id FROM ratelimit_namespaces WHERE name = ? AND workspace_id = ?").bind(name, workspaceId).first<{ id: string }>();
  return { name, id: row!.id };
}

const namespaceNamed = (name: string) => env.DB.prepare("SELECT 1 FROM ratelimit_namespaces WHERE name = ?").bind(name).first();
const overrideOf = (namespaceId: string, identifier: string) =>
  env.DB.prepare(`SELECT "limit" FROM ratelimit_overrides WHERE namespace_id = ? AND identifier = ?`).bind(namespaceId, identifier).first<{ limit: number }>();

const operations = [
  ["/v2/ratelimit.limit", { namespace: "default", identifier: "u", limit: 1, duration: 1000 }],
  ["/v2/ratelimit.multiLimit", [{ namespace: "default", identifier: "u", limit: 1, duration: 1000 }]],
  ["/v2/ratelimit.setOverride", { namespace: "default", identifier: "u", limit: 1, duration: 1000 }],
  ["/v2/ratelimit.getOverride", { namespace: "default", identifier: "u" }],
  ["/v2/ratelimit.listOverrides", { namespace: "default" }],
  ["/v2/ratelimit.deleteOverride", { namespace: "default", identifier: "u" }],
] as const;

describe("v2 ratelimit security", () => {
  it.each(operations)("%s needs a valid root key, before reading the body", async (path, body) => {
    expectV2Error(await post(path, body, { rootKey: null }), 401);
    expectV2Error(await post(path, body, { rootKey: "not-a-root-key" }), 401);
    expectV2Error(await post(path, "not even json", { rootKey: null }), 401);
  });

  it("raises the SDK's UnauthorizedErrorResponse for a wrong root key", async () => {
    await expect(unkeyV2("wrong").ratelimit.limit({ namespace: "default", identifier: "u", limit: 1, duration: 1000 })).rejects.toBeInstanceOf(
      UnauthorizedErrorResponse,
    );
  });

  it("limits with ratelimit.*.limit or the namespace's own permission, by name or id, and only there", async () => {
    const ns = await namespace();
    const body = { identifier: "u", limit: 5 };
    const unrelated = await rootKeyWith(["ratelimit.*.set_override", "api.*.read_key"]);
    expectV2Error(await limit({ ...body, namespace: ns.name }, unrelated), 403);
    await expect(unkeyV2(unrelated).ratelimit.limit({ ...body, namespace: ns.name, duration: 60_000 })).rejects.toBeInstanceOf(ForbiddenErrorResponse);

    const scoped = await rootKeyWith([`ratelimit.${ns.id}.limit`]);
    expect((await limit({ ...body, namespace: ns.name }, scoped)).body.data).toMatchObject({ success: true, remaining: 4 });
    expect((await limit({ ...body, namespace: ns.id }, scoped)).body.data).toMatchObject({ success: true, remaining: 3 });
    expectV2Error(await limit({ ...body, namespace: "default" }, scoped), 403);
    // Nor may it create a namespace.
    const fresh = uniqueName("ns");
    expectV2Error(await limit({ ...body, namespace: fresh }, scoped), 403);
    expect(await namespaceNamed(fresh)).toBeNull();
  });

  it("counts no check of a multiLimit when the root key may not limit in one of its namespaces", async () => {
    const allowed = await namespace();
    const other = await namespace();
    const scoped = await rootKeyWith([`ratelimit.${allowed.id}.limit`]);
    const fresh = uniqueName("ns");
    const checks = [
      { namespace: allowed.name, identifier: "u", limit: 5, duration: 60_000 },
      { namespace: other.name, identifier: "u", limit: 5, duration: 60_000 },
    ];
    expectV2Error(await post("/v2/ratelimit.multiLimit", checks, { rootKey: scoped }), 403);
    expectV2Error(await post("/v2/ratelimit.multiLimit", [checks[0], { ...checks[0], namespace: fresh }], { rootKey: scoped }), 403);
    expect(await namespaceNamed(fresh)).toBeNull();
    // Nothing was counted in the namespace it may use.
    expect((await limit(checks[0]!)).body.data.remaining).toBe(4);
    expect((await post("/v2/ratelimit.multiLimit", [checks[0]], { rootKey: scoped })).body.data.limits[0].remaining).toBe(3);
  });

  it("needs the override permissions, and writes nothing without them", async () => {
    const ns = await namespace();
    const limiter = await rootKeyWith(["ratelimit.*.limit", "ratelimit.*.read_override"]);
    const set = await post("/v2/ratelimit.setOverride", { namespace: ns.name, identifier: "u", limit: 1, duration: 1000 }, { rootKey: limiter });
    expectV2Error(set, 403);
    expect(set.body.error.detail).toContain("ratelimit.*.set_override");
    expect(await overrideOf(ns.id, "u")).toBeNull();

    await post("/v2/ratelimit.setOverride", { namespace: ns.name, identifier: "u", limit: 1, duration: 1000 });
    expectV2Error(await post("/v2/ratelimit.deleteOverride", { namespace: ns.name, identifier: "u" }, { rootKey: limiter }), 403);
    expect(await overrideOf(ns.id, "u")).toEqual({ limit: 1 });
    expectV2Error(await post("/v2/ratelimit.getOverride", { namespace: ns.name, identifier: "u" }, { rootKey: await rootKeyWith(["ratelimit.*.limit"]) }), 403);

    const scoped = await rootKeyWith([`ratelimit.${ns.id}.set_override`, `ratelimit.${ns.id}.read_override`, `ratelimit.${ns.id}.delete_override`]);
    expect((await post("/v2/ratelimit.setOverride", { namespace: ns.id, identifier: "u", limit: 2, duration: 1000 }, { rootKey: scoped })).status).toBe(200);
    expect((await post("/v2/ratelimit.listOverrides", { namespace: ns.name }, { rootKey: scoped })).body.data).toHaveLength(1);
    expect((await post("/v2/ratelimit.deleteOverride", { namespace: ns.name, identifier: "u" }, { rootKey: scoped })).status).toBe(200);
    // A scoped key learns nothing about namespaces it cannot act on: a missing one is a 403 too.
    expectV2Error(await post("/v2/ratelimit.listOverrides", { namespace: uniqueName("missing") }, { rootKey: scoped }), 403);
  });

  it("keeps another workspace's namespaces out of reach: by name or by id they are 404", async () => {
    const otherWorkspace = `ws_${crypto.randomUUID()}`;
    const other = await rootKeyWith(["*"], otherWorkspace);
    const foreign = await namespace(otherWorkspace, other);
    await post("/v2/ratelimit.setOverride", { namespace: foreign.name, identifier: "u", limit: 1, duration: 60_000 }, { rootKey: other });

    for (const ref of [foreign.name, foreign.id]) {
      expectV2Error(await post("/v2/ratelimit.getOverride", { namespace: ref, identifier: "u" }), 404);
      expectV2Error(await post("/v2/ratelimit.listOverrides", { namespace: ref }), 404);
      expectV2Error(await post("/v2/ratelimit.deleteOverride", { namespace: ref, identifier: "u" }), 404);
      expectV2Error(await post("/v2/ratelimit.setOverride", { namespace: ref, identifier: "u", limit: 1000, duration: 1000 }), 404);
    }
    expect(await overrideOf(foreign.id, "u")).toEqual({ limit: 1 });

    // Limiting under the foreign id counts in a namespace of the caller's own, never in the other workspace's.
    expect((await limit({ namespace: foreign.id, identifier: "u", limit: 1 })).body.data).toEqual({
      limit: 1,
      remaining: 0,
      reset: expect.any(Number),
      success: true,
    });
    expect(await env.DB.prepare("SELECT workspace_id FROM ratelimit_namespaces WHERE name = ?").bind(foreign.id).first()).toEqual({
      workspace_id: "ws_default",
    });
    expect((await limit({ namespace: foreign.name, identifier: "u" }, other)).body.data).toMatchObject({ success: true, limit: 1, remaining: 0 });
  });
});
