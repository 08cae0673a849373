import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { get, post } from "../helpers/harness";
import { otherWorkspaceRootKey, rootKeyWith, uniqueName } from "../helpers/rootKeys";

async function namespace() {
  const name = uniqueName("ns");
  await post("/v1/ratelimits.limit", { namespace: name, identifier: "bootstrap", limit: 1, duration: 1000 });
  const row = await env.DB.prepare("SELECT id FROM ratelimit_namespaces WHERE name = ?").bind(name).first<{ id: string }>();
  return { name, id: row!.id };
}

const override = (namespaceName: string) => ({ namespaceName, identifier: "u", limit: 1, duration: 1000 });

describe("ratelimits overrides security", () => {
  it("needs a root key", async () => {
    const ns = await namespace();
    const none = { rootKey: null };
    expect((await post("/v1/ratelimits.setOverride", override(ns.name), none)).status).toBe(401);
    expect((await get("/v1/ratelimits.getOverride", { namespaceName: ns.name, identifier: "u" }, none)).status).toBe(401);
    expect((await get("/v1/ratelimits.listOverrides", { namespaceName: ns.name }, none)).status).toBe(401);
    expect((await post("/v1/ratelimits.deleteOverride", { namespaceName: ns.name, identifier: "u" }, none)).status).toBe(401);
  });

  it("needs set_override, read_override and delete_override respectively", async () => {
    const ns = await namespace();
    await post("/v1/ratelimits.setOverride", override(ns.name));
    const limiter = { rootKey: await rootKeyWith(["ratelimit.*.limit"]) };
    expect((await post("/v1/ratelimits.setOverride", { ...override(ns.name), limit: 1000 }, limiter)).status).toBe(403);
    expect((await get("/v1/ratelimits.getOverride", { namespaceName: ns.name, identifier: "u" }, limiter)).status).toBe(403);
    expect((await get("/v1/ratelimits.listOverrides", { namespaceName: ns.name }, limiter)).status).toBe(403);
    expect((await post("/v1/ratelimits.deleteOverride", { namespaceName: ns.name, identifier: "u" }, limiter)).status).toBe(403);
    expect((await get("/v1/ratelimits.getOverride", { namespaceName: ns.name, identifier: "u" })).body.limit).toBe(1);

    const reader = { rootKey: await rootKeyWith(["ratelimit.*.read_override"]) };
    expect((await get("/v1/ratelimits.getOverride", { namespaceName: ns.name, identifier: "u" }, reader)).status).toBe(200);
    expect((await post("/v1/ratelimits.deleteOverride", { namespaceName: ns.name, identifier: "u" }, reader)).status).toBe(403);

    const setter = { rootKey: await rootKeyWith(["ratelimit.*.set_override"]) };
    expect((await post("/v1/ratelimits.setOverride", override(ns.name), setter)).status).toBe(200);
    const deleter = { rootKey: await rootKeyWith(["ratelimit.*.delete_override"]) };
    expect((await post("/v1/ratelimits.deleteOverride", { namespaceName: ns.name, identifier: "u" }, deleter)).status).toBe(200);
  });

  it("scopes ratelimit.<namespaceId>.* permissions to that namespace, and says 403 (not 404) elsewhere", async () => {
    const mine = await namespace();
    const theirs = await namespace();
    const scoped = { rootKey: await rootKeyWith([`ratelimit.${mine.id}.set_override`, `ratelimit.${mine.id}.read_override`]) };
    expect((await post("/v1/ratelimits.setOverride", override(mine.name), scoped)).status).toBe(200);
    expect((await get("/v1/ratelimits.listOverrides", { namespaceId: mine.id }, scoped)).status).toBe(200);
    expect((await post("/v1/ratelimits.setOverride", override(theirs.name), scoped)).status).toBe(403);
    expect((await get("/v1/ratelimits.listOverrides", { namespaceName: theirs.name }, scoped)).status).toBe(403);
    // A namespace that does not exist does not show as different from one it may not see.
    expect((await post("/v1/ratelimits.setOverride", override(uniqueName("never")), scoped)).status).toBe(403);
  });

  it("keeps another workspace's namespaces invisible", async () => {
    const ns = await namespace();
    await post("/v1/ratelimits.setOverride", override(ns.name));
    const as = { rootKey: await otherWorkspaceRootKey() };
    expect((await get("/v1/ratelimits.getOverride", { namespaceId: ns.id, identifier: "u" }, as)).status).toBe(404);
    expect((await get("/v1/ratelimits.listOverrides", { namespaceId: ns.id }, as)).status).toBe(404);
    expect((await post("/v1/ratelimits.setOverride", { ...override(ns.name), namespaceName: undefined, namespaceId: ns.id }, as)).status).toBe(404);
    expect((await post("/v1/ratelimits.deleteOverride", { namespaceId: ns.id, identifier: "u" }, as)).status).toBe(404);
    expect((await get("/v1/ratelimits.getOverride", { namespaceId: ns.id, identifier: "u" })).status).toBe(200);
  });
});
