import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { post } from "../helpers/harness";
import { auditEventsOf, uniqueName } from "../helpers/rootKeys";

const limit = (body: Record<string, unknown>) => post("/v1/ratelimits.limit", body);

describe("ratelimits.limit happy paths", () => {
  it("admits up to the limit, then refuses, counting down `remaining`", async () => {
    const body = { namespace: uniqueName("ns"), identifier: "user_1", limit: 3, duration: 60_000 };
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await limit(body)).body);
    expect(answers.map((a) => a.success)).toEqual([true, true, true, false]);
    expect(answers.map((a) => a.remaining)).toEqual([2, 1, 0, 0]);
    for (const answer of answers) {
      expect(answer.limit).toBe(3);
      expect(answer.reset).toBeGreaterThan(Date.now());
      expect(answer.reset).toBeLessThanOrEqual(Date.now() + 62_000);
    }
  });

  it("admits exactly 10 of 100 concurrent calls against a limit of 10", async () => {
    const body = { namespace: uniqueName("ns"), identifier: "burst", limit: 10, duration: 60_000 };
    const answers = await Promise.all(Array.from({ length: 100 }, () => limit(body)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.body.success)).toHaveLength(10);
    // The namespace, created by these first calls, exists exactly once.
    const { results } = await env.DB.prepare("SELECT id FROM ratelimit_namespaces WHERE name = ?").bind(body.namespace).all();
    expect(results).toHaveLength(1);
  }, 30_000);

  it("creates the namespace on first use, with an audit row", async () => {
    const namespace = uniqueName("ns");
    await limit({ namespace, identifier: "a", limit: 1, duration: 1000 });
    const row = await env.DB.prepare("SELECT id, workspace_id FROM ratelimit_namespaces WHERE name = ?")
      .bind(namespace)
      .first<{ id: string; workspace_id: string }>();
    expect(row).toMatchObject({ id: expect.stringMatching(/^rlns_/), workspace_id: "ws_default" });
    expect(await auditEventsOf(row!.id)).toEqual(["ratelimit.namespace.create"]);
  });

  it('uses the namespace "default" when none is given', async () => {
    const identifier = uniqueName("who");
    expect((await limit({ identifier, limit: 1, duration: 60_000 })).body.success).toBe(true);
    expect((await limit({ namespace: "default", identifier, limit: 1, duration: 60_000 })).body.success).toBe(false);
  });

  it("counts identifiers and namespaces apart", async () => {
    const namespace = uniqueName("ns");
    const base = { limit: 1, duration: 60_000 };
    expect((await limit({ ...base, namespace, identifier: "a" })).body.success).toBe(true);
    expect((await limit({ ...base, namespace, identifier: "b" })).body.success).toBe(true);
    expect((await limit({ ...base, namespace: `${namespace}-other`, identifier: "a" })).body.success).toBe(true);
    expect((await limit({ ...base, namespace, identifier: "a" })).body.success).toBe(false);
  });

  it("charges `cost`, and a cost of 0 only reads", async () => {
    const body = { namespace: uniqueName("ns"), identifier: "u", limit: 5, duration: 60_000 };
    expect((await limit({ ...body, cost: 3 })).body).toMatchObject({ success: true, remaining: 2 });
    expect((await limit({ ...body, cost: 0 })).body).toMatchObject({ success: true, remaining: 2 });
    expect((await limit({ ...body, cost: 3 })).body).toMatchObject({ success: false, remaining: 2 });
    expect((await limit({ ...body, cost: 2 })).body).toMatchObject({ success: true, remaining: 0 });
  });

  it("accepts Unkey's async, meta and resources fields", async () => {
    const res = await limit({
      namespace: uniqueName("ns"),
      identifier: "u",
      limit: 1,
      duration: 1000,
      async: true,
      meta: { route: "/x" },
      resources: [{ type: "project", id: "p1", name: "P", meta: { a: 1 } }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, limit: 1, remaining: 0, reset: expect.any(Number) });
  });

  it("takes a new limit or duration on the next call", async () => {
    const body = { namespace: uniqueName("ns"), identifier: "u", duration: 60_000 };
    expect((await limit({ ...body, limit: 1 })).body.success).toBe(true);
    expect((await limit({ ...body, limit: 1 })).body.success).toBe(false);
    expect((await limit({ ...body, limit: 2 })).body).toMatchObject({ success: true, limit: 2, remaining: 0 });
  });
});
