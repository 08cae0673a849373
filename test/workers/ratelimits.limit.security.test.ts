import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { post } from "../helpers/harness";
import { otherWorkspaceRootKey, rootKeyWith, uniqueName } from "../helpers/rootKeys";

const limit = (body: Record<string, unknown>, rootKey?: string | null) => post("/v1/ratelimits.limit", body, { rootKey });

async function namespaceId(name: string): Promise<string> {
  const row = await env.DB.prepare("SELECT id FROM ratelimit_namespaces WHERE name = ? AND workspace_id = 'ws_default'").bind(name).first<{ id: string }>();
  return row!.id;
}

describe("ratelimits.limit security", () => {
  it("needs a valid root key", async () => {
    const body = { namespace: uniqueName("ns"), identifier: "u", limit: 1, duration: 1000 };
    expect((await limit(body, null)).status).toBe(401);
    expect((await limit(body, "not-a-root-key")).status).toBe(401);
  });

  it("needs ratelimit.*.limit or the namespace's own permission", async () => {
    const namespace = uniqueName("ns");
    const body = { namespace, identifier: "u", limit: 5, duration: 60_000 };

    const unrelated = await rootKeyWith(["api.*.read_key", "ratelimit.*.set_override"]);
    const denied = await limit(body, unrelated);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("INSUFFICIENT_PERMISSIONS");

    const wildcard = await rootKeyWith(["ratelimit.*.limit"]);
    expect((await limit(body, wildcard)).body.success).toBe(true);

    const scoped = await rootKeyWith([`ratelimit.${await namespaceId(namespace)}.limit`]);
    expect((await limit(body, scoped)).body).toMatchObject({ success: true, remaining: 3 });
    // …and only for that namespace: it can neither use nor create another one.
    expect((await limit({ ...body, namespace: "default" }, scoped)).status).toBe(403);
    const fresh = uniqueName("ns");
    expect((await limit({ ...body, namespace: fresh }, scoped)).status).toBe(403);
    expect(await env.DB.prepare("SELECT 1 FROM ratelimit_namespaces WHERE name = ?").bind(fresh).first()).toBeNull();
  });

  it("does not create a namespace for a caller that may not limit", async () => {
    const namespace = uniqueName("ns");
    expect((await limit({ namespace, identifier: "u", limit: 1, duration: 1000 }, await rootKeyWith([]))).status).toBe(403);
    expect(await env.DB.prepare("SELECT 1 FROM ratelimit_namespaces WHERE name = ?").bind(namespace).first()).toBeNull();
  });

  it("keeps namespaces apart whatever their names hold: a caller of one cannot drain another", async () => {
    const own = uniqueName("ns");
    const victim = { namespace: `${own}:victim`, identifier: "c", limit: 1, duration: 60_000 };
    expect((await limit({ ...victim, limit: 5 })).status).toBe(200); // creates the victim's namespace
    expect((await limit({ namespace: own, identifier: "warm-up", limit: 1, duration: 60_000 })).status).toBe(200);
    const scoped = await rootKeyWith([`ratelimit.${await namespaceId(own)}.limit`]);
    // Joined with ":", namespace `own` and identifier "victim:c" would name the victim's counter.
    for (let i = 0; i < 3; i++) await limit({ namespace: own, identifier: "victim:c", limit: 100, duration: 60_000 }, scoped);
    expect((await limit({ ...victim, limit: 5 })).body).toMatchObject({ success: true, remaining: 3 });
  });

  it("counts the same namespace and identifier apart in each workspace", async () => {
    const body = { namespace: uniqueName("ns"), identifier: "shared-name", limit: 1, duration: 60_000 };
    const other = await otherWorkspaceRootKey();
    expect((await limit(body)).body.success).toBe(true);
    expect((await limit(body, other)).body.success).toBe(true);
    expect((await limit(body)).body.success).toBe(false);
    expect((await limit(body, other)).body.success).toBe(false);
  });
});
