import { describe, expect, it } from "vitest";
import { get, post } from "../helpers/harness";
import { auditEventsOf, otherWorkspaceRootKey, uniqueName } from "../helpers/rootKeys";

/** A namespace made by its first use, with its id. */
async function namespace(rootKey?: string) {
  const name = uniqueName("ns");
  await post("/v1/ratelimits.limit", { namespace: name, identifier: "bootstrap", limit: 1, duration: 1000 }, { rootKey });
  const overrides = await get("/v1/ratelimits.listOverrides", { namespaceName: name }, { rootKey });
  expect(overrides.status).toBe(200);
  return name;
}

const setOverride = (body: Record<string, unknown>, rootKey?: string) => post("/v1/ratelimits.setOverride", body, { rootKey });
const limit = (namespace: string, identifier: string, rootKey?: string) =>
  post("/v1/ratelimits.limit", { namespace, identifier, limit: 100, duration: 60_000 }, { rootKey }).then((r) => r.body);

describe("ratelimits overrides happy paths", () => {
  it("replaces the limit and duration that ratelimits.limit is given", async () => {
    const ns = await namespace();
    const set = await setOverride({ namespaceName: ns, identifier: "vip", limit: 2, duration: 30_000 });
    expect(set.status).toBe(200);
    expect(set.body.overrideId).toMatch(/^rlo_/);

    expect(await limit(ns, "vip")).toMatchObject({ success: true, limit: 2, remaining: 1 });
    expect(await limit(ns, "vip")).toMatchObject({ success: true, limit: 2, remaining: 0 });
    const refused = await limit(ns, "vip");
    expect(refused).toMatchObject({ success: false, limit: 2 });
    expect(refused.reset).toBeLessThanOrEqual(Date.now() + 31_000);
    // Other identifiers keep the limit they are given.
    expect(await limit(ns, "someone-else")).toMatchObject({ success: true, limit: 100, remaining: 99 });
  });

  it("replaces an override of the same identifier, keeping its id, and reads it back", async () => {
    const ns = await namespace();
    const first = await setOverride({ namespaceName: ns, identifier: "u", limit: 5, duration: 5000 });
    const second = await setOverride({ namespaceName: ns, identifier: "u", limit: 7, duration: 7000, async: true });
    expect(second.body.overrideId).toBe(first.body.overrideId);
    const read = await get("/v1/ratelimits.getOverride", { namespaceName: ns, identifier: "u" });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ id: first.body.overrideId, identifier: "u", limit: 7, duration: 7000, async: true });
  });

  it("finds a namespace by id as well as by name", async () => {
    const ns = await namespace();
    const { overrideId } = (await setOverride({ namespaceName: ns, identifier: "u", limit: 5, duration: 5000 })).body;
    const { env } = await import("cloudflare:test");
    const row = await env.DB.prepare("SELECT id FROM ratelimit_namespaces WHERE name = ?").bind(ns).first<{ id: string }>();
    const byId = await get("/v1/ratelimits.getOverride", { namespaceId: row!.id, identifier: "u" });
    expect(byId.body).toMatchObject({ id: overrideId, async: null });
    expect((await get("/v1/ratelimits.getOverride", { namespaceId: row!.id, namespaceName: ns, identifier: "u" })).status).toBe(200);
  });

  it("lists overrides a page at a time, with the total", async () => {
    const ns = await namespace();
    for (const identifier of ["a", "b", "c"]) await setOverride({ namespaceName: ns, identifier, limit: 1, duration: 1000 });
    const first = await get("/v1/ratelimits.listOverrides", { namespaceName: ns, limit: "2" });
    expect(first.body).toMatchObject({ total: 3, cursor: expect.any(String) });
    expect(first.body.overrides).toHaveLength(2);
    const second = await get("/v1/ratelimits.listOverrides", { namespaceName: ns, limit: "2", cursor: first.body.cursor });
    expect(second.body.overrides).toHaveLength(1);
    expect(second.body.cursor).toBeUndefined();
    const identifiers = [...first.body.overrides, ...second.body.overrides].map((o: any) => o.identifier);
    expect(identifiers.sort()).toEqual(["a", "b", "c"]);
  });

  it("stops applying a deleted override", async () => {
    const ns = await namespace();
    await setOverride({ namespaceName: ns, identifier: "u", limit: 1, duration: 60_000 });
    expect((await limit(ns, "u")).limit).toBe(1);
    const deleted = await post("/v1/ratelimits.deleteOverride", { namespaceName: ns, identifier: "u" });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({});
    expect(await limit(ns, "u")).toMatchObject({ success: true, limit: 100 });
    expect((await get("/v1/ratelimits.getOverride", { namespaceName: ns, identifier: "u" })).status).toBe(404);
  });

  it("applies wildcard overrides, the exact one first, then the longest pattern", async () => {
    const ns = await namespace();
    await setOverride({ namespaceName: ns, identifier: "*", limit: 3, duration: 60_000 });
    await setOverride({ namespaceName: ns, identifier: "*@acme.com", limit: 5, duration: 60_000 });
    await setOverride({ namespaceName: ns, identifier: "boss@acme.com", limit: 9, duration: 60_000 });
    expect((await limit(ns, "dev@acme.com")).limit).toBe(5);
    expect((await limit(ns, "boss@acme.com")).limit).toBe(9);
    expect((await limit(ns, "someone@else.org")).limit).toBe(3);
  });

  it("matches GLOB's other special characters only literally", async () => {
    const ns = await namespace();
    await setOverride({ namespaceName: ns, identifier: "a?[b]*", limit: 4, duration: 60_000 });
    expect((await limit(ns, "a?[b]x")).limit).toBe(4);
    expect((await limit(ns, "ax[b]x")).limit).toBe(100);
    expect((await limit(ns, "a?bx")).limit).toBe(100);
  });

  it("writes audit rows for set and delete", async () => {
    const ns = await namespace();
    const { env } = await import("cloudflare:test");
    const row = await env.DB.prepare("SELECT id FROM ratelimit_namespaces WHERE name = ?").bind(ns).first<{ id: string }>();
    await setOverride({ namespaceId: row!.id, identifier: "u", limit: 1, duration: 1000 });
    await post("/v1/ratelimits.deleteOverride", { namespaceId: row!.id, identifier: "u" });
    expect(await auditEventsOf(row!.id)).toEqual(["ratelimit.namespace.create", "ratelimit.override.set", "ratelimit.override.delete"]);
  });

  it("keeps overrides per workspace", async () => {
    const rootKey = await otherWorkspaceRootKey();
    const ns = await namespace(rootKey);
    await namespace(); // a namespace of the default workspace, to be sure names do not mix
    await setOverride({ namespaceName: ns, identifier: "u", limit: 1, duration: 60_000 }, rootKey);
    expect((await limit(ns, "u", rootKey)).limit).toBe(1);
    expect((await limit(ns, "u")).limit).toBe(100);
  });
});
