import { describe, expect, it } from "vitest";
import { get, post } from "../helpers/harness";
import { uniqueName } from "../helpers/rootKeys";

async function namespace() {
  const name = uniqueName("ns");
  await post("/v1/ratelimits.limit", { namespace: name, identifier: "bootstrap", limit: 1, duration: 1000 });
  return name;
}

describe("ratelimits overrides errors", () => {
  it.each([
    [{ limit: 0 }, "limit"],
    [{ limit: -3 }, "limit"],
    [{ limit: 1.5 }, "limit"],
    [{ duration: 999 }, "duration"],
    [{ identifier: "" }, "identifier"],
    [{ async: "yes" }, "async"],
  ])("rejects setOverride %j with a 400 naming %s", async (change, field) => {
    const res = await post("/v1/ratelimits.setOverride", { namespaceName: await namespace(), identifier: "u", limit: 1, duration: 1000, ...change });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
  });

  it("needs namespaceId or namespaceName", async () => {
    const calls = [
      await post("/v1/ratelimits.setOverride", { identifier: "u", limit: 1, duration: 1000 }),
      await get("/v1/ratelimits.getOverride", { identifier: "u" }),
      await get("/v1/ratelimits.listOverrides", {}),
      await post("/v1/ratelimits.deleteOverride", { identifier: "u" }),
    ];
    for (const res of calls) {
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain("namespaceId");
    }
  });

  it("is a 404 for a namespace that does not exist, saying how namespaces come to be", async () => {
    const res = await post("/v1/ratelimits.setOverride", { namespaceName: uniqueName("never"), identifier: "u", limit: 1, duration: 1000 });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain("ratelimits.limit");
    expect((await get("/v1/ratelimits.listOverrides", { namespaceId: "rlns_missing" })).status).toBe(404);
  });

  it("is a 404 when namespaceId and namespaceName name different namespaces", async () => {
    const a = await namespace();
    const { env } = await import("cloudflare:test");
    const row = await env.DB.prepare("SELECT id FROM ratelimit_namespaces WHERE name = ?").bind(a).first<{ id: string }>();
    const res = await get("/v1/ratelimits.listOverrides", { namespaceId: row!.id, namespaceName: await namespace() });
    expect(res.status).toBe(404);
  });

  it("is a 404 for an identifier without override", async () => {
    const ns = await namespace();
    expect((await get("/v1/ratelimits.getOverride", { namespaceName: ns, identifier: "nobody" })).status).toBe(404);
    expect((await post("/v1/ratelimits.deleteOverride", { namespaceName: ns, identifier: "nobody" })).status).toBe(404);
  });

  it("rejects out-of-range page sizes", async () => {
    const ns = await namespace();
    expect((await get("/v1/ratelimits.listOverrides", { namespaceName: ns, limit: "0" })).status).toBe(400);
    expect((await get("/v1/ratelimits.listOverrides", { namespaceName: ns, limit: "1000" })).status).toBe(400);
  });
});
