import { describe, expect, it } from "vitest";
import { apiWithKey, createApi, get } from "../helpers/harness";

describe("verification counts errors", () => {
  it.each(["hour", "key,hour"])("rejects groupBy=%s, naming what is supported", async (groupBy) => {
    const res = await get("/v1/analytics.getVerifications", { apiId: await createApi(), groupBy });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^groupBy: .* is not supported/);
    expect(res.body.error.message).toContain("day, month, key, identity");
  });

  it("rejects an unknown groupBy, orderBy or order", async () => {
    const apiId = await createApi();
    for (const query of [{ groupBy: "week" }, { orderBy: "size" }, { order: "up" }] as Record<string, string>[]) {
      const res = await get("/v1/analytics.getVerifications", { apiId, ...query });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(Object.keys(query)[0]);
    }
  });

  it("rejects day and month together, and ordering by time without a time group", async () => {
    const apiId = await createApi();
    expect((await get("/v1/analytics.getVerifications", { apiId, groupBy: "day,month" })).body.error.message).toContain("groupBy");
    const manyTags = await get("/v1/analytics.getVerifications", { apiId, tag: Array.from({ length: 11 }, (_, i) => `t${i}`).join(",") });
    expect(manyTags.status).toBe(400);
    expect(manyTags.body.error.message).toMatch(/^tag: /);
    const bothTagGroupings = await get("/v1/analytics.getVerifications", { apiId, groupBy: "tag,tags" });
    expect(bothTagGroupings.status).toBe(400);
    expect(bothTagGroupings.body.error.message).toBe("groupBy: choose one of tag or tags");
    const byTime = await get("/v1/analytics.getVerifications", { apiId, groupBy: "key", orderBy: "time" });
    expect(byTime.status).toBe(400);
    expect(byTime.body.error.message).toContain("orderBy");
  });

  it("rejects a range that ends before it starts, and malformed times and limits", async () => {
    const apiId = await createApi();
    const backwards = await get("/v1/analytics.getVerifications", { apiId, start: "2000", end: "1000" });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toContain("start");
    expect((await get("/v1/analytics.getVerifications", { apiId, start: "yesterday" })).status).toBe(400);
    expect((await get("/v1/analytics.getVerifications", { apiId, end: "-5" })).status).toBe(400);
    expect((await get("/v1/analytics.getVerifications", { apiId, limit: "0" })).status).toBe(400);
    expect((await get("/v1/analytics.getVerifications", { apiId, limit: "1.5" })).status).toBe(400);
  });

  it("needs an apiId, and one that exists", async () => {
    expect((await get("/v1/analytics.getVerifications", {})).body.error.message).toContain("apiId");
    expect((await get("/v1/analytics.getVerifications", { apiId: "api_missing" })).status).toBe(404);
  });

  it("needs exactly one of keyId or ownerId for keys.getVerifications", async () => {
    const { keyId } = await apiWithKey();
    for (const query of [{}, { keyId, ownerId: "someone" }] as Record<string, string>[]) {
      const res = await get("/v1/keys.getVerifications", query);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain("keyId");
    }
  });

  it("rejects a granularity other than day, and a backwards range", async () => {
    const { keyId } = await apiWithKey();
    expect((await get("/v1/keys.getVerifications", { keyId, granularity: "hour" })).body.error.message).toContain("granularity");
    expect((await get("/v1/keys.getVerifications", { keyId, start: "5000", end: "10" })).status).toBe(400);
  });

  it("is a 404 for a key that does not exist, and empty for an owner without keys", async () => {
    expect((await get("/v1/keys.getVerifications", { keyId: "key_missing" })).status).toBe(404);
    expect((await get("/v1/keys.getVerifications", { ownerId: `nobody-${crypto.randomUUID()}` })).body).toEqual({ verifications: [] });
  });
});
