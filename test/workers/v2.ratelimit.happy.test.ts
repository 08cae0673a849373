import { env } from "cloudflare:test";
import {
  V2RatelimitGetOverrideResponseBody$inboundSchema,
  V2RatelimitLimitResponseBody$inboundSchema,
  V2RatelimitListOverridesResponseBody$inboundSchema,
  V2RatelimitMultiLimitResponseBody$inboundSchema,
} from "@unkey/api-v2/models/components";
import { describe, expect, it } from "vitest";
import { get, post } from "../helpers/harness";
import { auditEventsOf, uniqueName } from "../helpers/rootKeys";
import { unkeyV2 } from "../helpers/unkeyV2Sdk";

const meta = { requestId: expect.stringMatching(/^req_/) };

const limit = (body: Record<string, unknown>) => post("/v2/ratelimit.limit", { limit: 100, duration: 60_000, ...body });

async function namespaceId(name: string): Promise<string> {
  const row = await env.DB.prepare("SELECT id FROM ratelimit_namespaces WHERE name = ? AND workspace_id = 'ws_default'").bind(name).first<{ id: string }>();
  return row!.id;
}

/** A namespace made by its first use, by name and id. */
async function namespace() {
  const name = uniqueName("ns");
  expect((await limit({ namespace: name, identifier: "bootstrap" })).status).toBe(200);
  return { name, id: await namespaceId(name) };
}

describe("v2 ratelimit.limit", () => {
  it("admits up to the limit, then answers success false with a 200, in the SDK's shape", async () => {
    const body = { namespace: uniqueName("ns"), identifier: "user_1", limit: 2, duration: 60_000 };
    const first = await limit(body);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ meta, data: { limit: 2, remaining: 1, reset: expect.any(Number), success: true } });
    expect(V2RatelimitLimitResponseBody$inboundSchema.parse(first.body)).toEqual(first.body);
    expect((await limit(body)).body.data).toMatchObject({ success: true, remaining: 0 });
    const refused = await limit(body);
    expect(refused.status).toBe(200);
    expect(refused.body.data).toMatchObject({ success: false, limit: 2, remaining: 0 });
    expect(refused.body.data.reset).toBeGreaterThan(Date.now());
  });

  it("works through the @unkey/api 2.x client, which sends cost 1 by default", async () => {
    const unkey = unkeyV2();
    const namespace = uniqueName("ns");
    const first = await unkey.ratelimit.limit({ namespace, identifier: "u", limit: 3, duration: 60_000 });
    expect(first.data).toEqual({ limit: 3, remaining: 2, reset: expect.any(Number), success: true });
    const heavy = await unkey.ratelimit.limit({ namespace, identifier: "u", limit: 3, duration: 60_000, cost: 2 });
    expect(heavy.data).toMatchObject({ success: true, remaining: 0 });
  });

  it("reads without counting at cost 0", async () => {
    const body = { namespace: uniqueName("ns"), identifier: "u", limit: 1, duration: 60_000 };
    expect((await limit({ ...body, cost: 0 })).body.data).toMatchObject({ success: true, remaining: 1 });
    expect((await limit(body)).body.data).toMatchObject({ success: true, remaining: 0 });
    expect((await limit({ ...body, cost: 0 })).body.data).toMatchObject({ success: true, remaining: 0 });
  });

  it("names a namespace by id or by name: both count against the same window, as v1 does", async () => {
    const ns = await namespace();
    const body = { identifier: "shared", limit: 3, duration: 60_000 };
    expect((await limit({ ...body, namespace: ns.name })).body.data.remaining).toBe(2);
    expect((await limit({ ...body, namespace: ns.id })).body.data.remaining).toBe(1);
    const v1 = await post("/v1/ratelimits.limit", { ...body, namespace: ns.name });
    expect(v1.body).toEqual({ success: true, limit: 3, remaining: 0, reset: expect.any(Number) });
    expect((await limit({ ...body, namespace: ns.id })).body.data.success).toBe(false);
    // No namespace was created under the id's spelling.
    expect(await env.DB.prepare("SELECT 1 FROM ratelimit_namespaces WHERE name = ?").bind(ns.id).first()).toBeNull();
  });

  it("applies an override, naming it in overrideId", async () => {
    const ns = await namespace();
    const { overrideId } = (await post("/v2/ratelimit.setOverride", { namespace: ns.name, identifier: "vip_*", limit: 1, duration: 30_000 })).body.data;
    const limited = await limit({ namespace: ns.name, identifier: "vip_7" });
    expect(limited.body.data).toEqual({ limit: 1, remaining: 0, reset: expect.any(Number), success: true, overrideId });
    expect((await limit({ namespace: ns.name, identifier: "vip_7" })).body.data).toMatchObject({ success: false, overrideId });
    expect((await limit({ namespace: ns.name, identifier: "regular" })).body.data).not.toHaveProperty("overrideId");
  });
});

describe("v2 ratelimit.multiLimit", () => {
  it("counts each check on its own: one refusal does not stop the others, and passed says whether all passed", async () => {
    const strict = uniqueName("ns");
    const loose = uniqueName("ns");
    const checks = [
      { namespace: strict, identifier: "u", limit: 1, duration: 60_000 },
      { namespace: loose, identifier: "u", limit: 10, duration: 60_000 },
    ];
    const first = await post("/v2/ratelimit.multiLimit", checks);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      meta,
      data: {
        passed: true,
        limits: [
          { namespace: strict, identifier: "u", limit: 1, remaining: 0, reset: expect.any(Number), passed: true },
          { namespace: loose, identifier: "u", limit: 10, remaining: 9, reset: expect.any(Number), passed: true },
        ],
      },
    });
    expect(V2RatelimitMultiLimitResponseBody$inboundSchema.parse(first.body)).toEqual(first.body);

    const second = await post("/v2/ratelimit.multiLimit", checks);
    expect(second.body.data.passed).toBe(false);
    expect(second.body.data.limits.map((l: any) => [l.passed, l.remaining])).toEqual([
      [false, 0],
      [true, 8],
    ]);
    // The loose limit counted the request although the strict one refused it.
    expect((await limit({ namespace: loose, identifier: "u", limit: 10 })).body.data.remaining).toBe(7);
  });

  it("answers checks of the same window in their order", async () => {
    const namespace = uniqueName("ns");
    const check = { namespace, identifier: "u", limit: 2, duration: 60_000 };
    const res = await post("/v2/ratelimit.multiLimit", [check, check, check]);
    expect(res.body.data.limits.map((l: any) => [l.passed, l.remaining])).toEqual([
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(res.body.data.passed).toBe(false);
  });

  it("creates missing namespaces, finds others by id, and reports overrides, through the SDK", async () => {
    const ns = await namespace();
    const { overrideId } = (await post("/v2/ratelimit.setOverride", { namespace: ns.id, identifier: "vip", limit: 5, duration: 60_000 })).body.data;
    const fresh = uniqueName("ns");
    const res = await unkeyV2().ratelimit.multiLimit([
      { namespace: ns.id, identifier: "vip", limit: 1, duration: 1000 },
      { namespace: fresh, identifier: "u", limit: 1, duration: 1000 },
    ]);
    expect(res.data.passed).toBe(true);
    expect(res.data.limits[0]).toMatchObject({ namespace: ns.id, identifier: "vip", limit: 5, remaining: 4, passed: true, overrideId });
    expect(res.data.limits[1]).toMatchObject({ namespace: fresh, limit: 1, remaining: 0, passed: true });
    expect(res.data.limits[1]).not.toHaveProperty("overrideId");
    expect(await auditEventsOf(await namespaceId(fresh))).toEqual(["ratelimit.namespace.create"]);
  });
});

describe("v2 ratelimit overrides", () => {
  it("sets, reads, lists and deletes an override through the SDK", async () => {
    const ns = await namespace();
    const unkey = unkeyV2();
    const set = await unkey.ratelimit.setOverride({ namespace: ns.name, identifier: "premium_*", limit: 500, duration: 60_000 });
    expect(set.data.overrideId).toMatch(/^rlo_/);

    const read = await post("/v2/ratelimit.getOverride", { namespace: ns.id, identifier: "premium_*" });
    expect(read.body).toEqual({ meta, data: { overrideId: set.data.overrideId, duration: 60_000, identifier: "premium_*", limit: 500 } });
    expect(V2RatelimitGetOverrideResponseBody$inboundSchema.parse(read.body)).toEqual(read.body);
    expect((await unkey.ratelimit.getOverride({ namespace: ns.name, identifier: "premium_*" })).data.limit).toBe(500);

    // Setting it again replaces it and keeps its id.
    const again = await unkey.ratelimit.setOverride({ namespace: ns.id, identifier: "premium_*", limit: 50, duration: 5_000 });
    expect(again.data.overrideId).toBe(set.data.overrideId);
    expect((await unkey.ratelimit.getOverride({ namespace: ns.name, identifier: "premium_*" })).data).toMatchObject({ limit: 50, duration: 5_000 });

    const deleted = await unkey.ratelimit.deleteOverride({ namespace: ns.name, identifier: "premium_*" });
    expect(deleted.data).toEqual({});
    expect((await post("/v2/ratelimit.getOverride", { namespace: ns.name, identifier: "premium_*" })).status).toBe(404);
    expect(await auditEventsOf(ns.id)).toEqual(["ratelimit.namespace.create", "ratelimit.override.set", "ratelimit.override.set", "ratelimit.override.delete"]);
  });

  it("lists overrides a page at a time, 10 by default, and the SDK follows the cursor", async () => {
    const ns = await namespace();
    const identifiers = Array.from({ length: 12 }, (_, i) => `user_${String(i).padStart(2, "0")}`);
    for (const identifier of identifiers) await post("/v2/ratelimit.setOverride", { namespace: ns.name, identifier, limit: 1, duration: 1000 });

    const first = await post("/v2/ratelimit.listOverrides", { namespace: ns.name });
    expect(first.body.data).toHaveLength(10);
    expect(first.body.pagination).toEqual({ cursor: expect.any(String), hasMore: true });
    expect(V2RatelimitListOverridesResponseBody$inboundSchema.parse(first.body)).toEqual(first.body);
    const last = await post("/v2/ratelimit.listOverrides", { namespace: ns.id, cursor: first.body.pagination.cursor });
    expect(last.body.data).toHaveLength(2);
    expect(last.body.pagination).toEqual({ hasMore: false });

    const seen: string[] = [];
    for await (const page of await unkeyV2().ratelimit.listOverrides({ namespace: ns.name, limit: 5 })) {
      seen.push(...page.result.data.map((override) => override.identifier));
    }
    expect(seen.sort()).toEqual(identifiers);
  });

  it("takes a limit of 0, which refuses every request", async () => {
    const ns = await namespace();
    const set = await post("/v2/ratelimit.setOverride", { namespace: ns.name, identifier: "banned", limit: 0, duration: 60_000 });
    expect(set.status).toBe(200);
    expect((await limit({ namespace: ns.name, identifier: "banned" })).body.data).toMatchObject({ success: false, limit: 0, remaining: 0 });
  });
});

describe("v2 and v1 ratelimits share one store", () => {
  it("shows an override set through v2 to v1, and one set through v1 to v2", async () => {
    const ns = await namespace();
    const viaV2 = (await post("/v2/ratelimit.setOverride", { namespace: ns.name, identifier: "a", limit: 7, duration: 7_000 })).body.data;
    const readByV1 = await get("/v1/ratelimits.getOverride", { namespaceName: ns.name, identifier: "a" });
    expect(readByV1.body).toEqual({ id: viaV2.overrideId, identifier: "a", limit: 7, duration: 7_000, async: null });
    expect((await post("/v1/ratelimits.limit", { namespace: ns.name, identifier: "a", limit: 100, duration: 60_000 })).body.limit).toBe(7);

    const viaV1 = (await post("/v1/ratelimits.setOverride", { namespaceId: ns.id, identifier: "b", limit: 3, duration: 3_000 })).body;
    const readByV2 = await post("/v2/ratelimit.getOverride", { namespace: ns.name, identifier: "b" });
    expect(readByV2.body.data).toEqual({ overrideId: viaV1.overrideId, duration: 3_000, identifier: "b", limit: 3 });
    expect((await limit({ namespace: ns.id, identifier: "b" })).body.data).toMatchObject({ limit: 3, overrideId: viaV1.overrideId });

    expect((await post("/v1/ratelimits.deleteOverride", { namespaceName: ns.name, identifier: "a" })).status).toBe(200);
    expect((await post("/v2/ratelimit.listOverrides", { namespace: ns.name })).body.data.map((o: any) => o.identifier)).toEqual(["b"]);
  });
});
