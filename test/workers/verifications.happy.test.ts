import { env, runDurableObjectAlarm } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createApi, createKey, get, verify } from "../helpers/harness";
import { uniqueName } from "../helpers/rootKeys";

const DAY_MS = 24 * 60 * 60 * 1000;
const today = () => Math.floor(Date.now() / DAY_MS) * DAY_MS;

/** Moves a key's counts to D1 now, instead of on its alarm ~10 s later. */
async function flush(...keyIds: string[]) {
  for (const keyId of keyIds) await runDurableObjectAlarm(env.KEY_STATE.get(env.KEY_STATE.idFromName(keyId)));
}

const zeros = { valid: 0, notFound: 0, forbidden: 0, usageExceeded: 0, rateLimited: 0, unauthorized: 0, disabled: 0, insufficientPermissions: 0, expired: 0 };

describe("verification counts", () => {
  let apiId: string;
  let owner: string;
  let identityId: string;
  const keys: Record<"credits" | "limited" | "guarded" | "disabled", { keyId: string; key: string }> = {} as never;

  beforeAll(async () => {
    apiId = await createApi();
    owner = uniqueName("owner");
    keys.credits = await createKey(apiId, { externalId: owner, remaining: 2 });
    keys.limited = await createKey(apiId, { externalId: owner, ratelimit: { limit: 1, duration: 60_000 } });
    keys.guarded = await createKey(apiId, { permissions: ["read"], environment: "live" });
    keys.disabled = await createKey(apiId, { enabled: false });

    const outcomes = [
      [keys.credits, {}, "VALID"],
      [keys.credits, {}, "VALID"],
      [keys.credits, {}, "USAGE_EXCEEDED"],
      [keys.limited, {}, "VALID"],
      [keys.limited, {}, "RATE_LIMITED"],
      [keys.limited, {}, "RATE_LIMITED"],
      [keys.guarded, { authorization: { permissions: "write" } }, "INSUFFICIENT_PERMISSIONS"],
      [keys.guarded, { environment: "test" }, "FORBIDDEN"],
      [keys.guarded, {}, "VALID"],
      [keys.disabled, {}, "DISABLED"],
    ] as const;
    for (const [key, extra, code] of outcomes) expect((await verify(key.key, extra)).code).toBe(code);
    await flush(...Object.values(keys).map((k) => k.keyId));
    identityId = (await verify(keys.credits.key, { remaining: { cost: 0 } })).identity.id;
    await flush(keys.credits.keyId);
  });

  it("answers a key's daily counts (keys.getVerifications)", async () => {
    const res = await get("/v1/keys.getVerifications", { keyId: keys.credits.keyId });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ verifications: [{ time: today(), success: 3, rateLimited: 0, usageExceeded: 1 }] });
    const limited = await get("/v1/keys.getVerifications", { keyId: keys.limited.keyId, granularity: "day" });
    expect(limited.body.verifications).toEqual([{ time: today(), success: 1, rateLimited: 2, usageExceeded: 0 }]);
  });

  it("sums the keys of an owner", async () => {
    const res = await get("/v1/keys.getVerifications", { ownerId: owner });
    expect(res.body.verifications).toEqual([{ time: today(), success: 4, rateLimited: 2, usageExceeded: 1 }]);
  });

  it("answers nothing outside the range asked", async () => {
    const res = await get("/v1/keys.getVerifications", { keyId: keys.credits.keyId, start: "0", end: String(today() - 1) });
    expect(res.body).toEqual({ verifications: [] });
    // A start in the middle of today still covers today.
    const midday = await get("/v1/keys.getVerifications", { keyId: keys.credits.keyId, start: String(Date.now() - 1000) });
    expect(midday.body.verifications).toHaveLength(1);
  });

  it("adds later flushes to the earlier ones", async () => {
    const { keyId, key } = await createKey(await createApi(), { remaining: 1 });
    await verify(key);
    await flush(keyId);
    await verify(key);
    await verify(key);
    await flush(keyId);
    expect((await get("/v1/keys.getVerifications", { keyId })).body.verifications).toEqual([{ time: today(), success: 1, rateLimited: 0, usageExceeded: 2 }]);
  });

  it("answers an api's totals per outcome (analytics.getVerifications)", async () => {
    const res = await get("/v1/analytics.getVerifications", { apiId });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ ...zeros, valid: 5, usageExceeded: 1, rateLimited: 2, insufficientPermissions: 1, forbidden: 1, disabled: 1, total: 11 }]);
  });

  it("groups by day and by month", async () => {
    const totals = { ...zeros, valid: 5, usageExceeded: 1, rateLimited: 2, insufficientPermissions: 1, forbidden: 1, disabled: 1, total: 11 };
    expect((await get("/v1/analytics.getVerifications", { apiId, groupBy: "day" })).body).toEqual([{ time: today(), ...totals }]);
    const now = new Date();
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    expect((await get("/v1/analytics.getVerifications", { apiId, groupBy: "month" })).body).toEqual([{ time: monthStart, ...totals }]);
  });

  it("groups by key, ordered and limited as asked", async () => {
    const rows = (await get("/v1/analytics.getVerifications", { apiId, groupBy: "key" })).body;
    expect(rows).toHaveLength(4);
    expect(rows.find((r: any) => r.keyId === keys.guarded.keyId)).toEqual({
      ...zeros,
      keyId: keys.guarded.keyId,
      valid: 1,
      insufficientPermissions: 1,
      forbidden: 1,
      total: 3,
    });
    const top = await get("/v1/analytics.getVerifications", { apiId, groupBy: "key", orderBy: "rateLimited", order: "desc", limit: "1" });
    expect(top.body).toEqual([expect.objectContaining({ keyId: keys.limited.keyId, rateLimited: 2 })]);
  });

  it("groups by day and key together, from a comma list or repeated parameters", async () => {
    const comma = await get("/v1/analytics.getVerifications", { apiId, groupBy: "day,key" });
    expect(comma.body).toHaveLength(4);
    for (const row of comma.body) expect(row).toMatchObject({ time: today(), keyId: expect.any(String) });
    const repeated = await get(`/v1/analytics.getVerifications?groupBy=day&groupBy=key`, { apiId });
    expect(repeated.body).toEqual(comma.body);
  });

  it("groups by identity", async () => {
    const rows = (await get("/v1/analytics.getVerifications", { apiId, groupBy: "identity", orderBy: "total", order: "desc" })).body;
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ identity: { id: identityId, externalId: owner }, valid: 4, total: 7 });
    expect(rows[1].identity).toBeUndefined();
    expect(rows[1].total).toBe(4);
  });

  it("filters by keyId and by externalId", async () => {
    const oneKey = await get("/v1/analytics.getVerifications", { apiId, keyId: keys.disabled.keyId });
    expect(oneKey.body).toEqual([{ ...zeros, disabled: 1, total: 1 }]);
    const twoKeys = await get("/v1/analytics.getVerifications", { apiId, keyId: `${keys.disabled.keyId},${keys.limited.keyId}` });
    expect(twoKeys.body[0].total).toBe(4);
    const byOwner = await get("/v1/analytics.getVerifications", { apiId, externalId: owner });
    expect(byOwner.body[0]).toMatchObject({ valid: 4, usageExceeded: 1, rateLimited: 2, total: 7 });
  });

  it("answers zeros for an api without verifications", async () => {
    const empty = await createApi();
    expect((await get("/v1/analytics.getVerifications", { apiId: empty })).body).toEqual([{ ...zeros, total: 0 }]);
    expect((await get("/v1/analytics.getVerifications", { apiId: empty, groupBy: "day" })).body).toEqual([]);
  });
});

describe("verification counts by tag", () => {
  let apiId: string;
  const totals = (valid: number, rateLimited = 0) => ({ ...zeros, valid, rateLimited, total: valid + rateLimited });

  beforeAll(async () => {
    apiId = await createApi();
    const limited = await createKey(apiId, { ratelimit: { limit: 3, duration: 60_000 } });
    const plain = await createKey(apiId);
    const sent = [
      [limited, ["path:/a", "GET"]],
      [limited, ["GET", "path:/a", "GET"]], // the same set, in another order, with a repeat
      [limited, ["path:/b"]],
      [limited, ["path:/b"]], // over the limit: RATE_LIMITED
      [plain, undefined],
      [plain, []],
    ] as const;
    for (const [key, tags] of sent) await verify(key.key, tags === undefined ? {} : { tags });
    await flush(limited.keyId, plain.keyId);
  });

  it("groups by the set of tags each verify sent", async () => {
    const rows = (await get("/v1/analytics.getVerifications", { apiId, groupBy: "tags", orderBy: "total", order: "desc" })).body;
    expect(rows).toHaveLength(3);
    expect(rows).toEqual(
      expect.arrayContaining([
        { tags: ["GET", "path:/a"], ...totals(2) },
        { tags: ["path:/b"], ...totals(1, 1) },
        { tags: [], ...totals(2) },
      ]),
    );
  });

  it("groups by each tag", async () => {
    const rows = (await get("/v1/analytics.getVerifications", { apiId, groupBy: "tag" })).body;
    expect(rows).toHaveLength(3);
    expect(rows).toEqual(
      expect.arrayContaining([
        { tag: "GET", ...totals(2) },
        { tag: "path:/a", ...totals(2) },
        { tag: "path:/b", ...totals(1, 1) },
      ]),
    );
  });

  it("filters to the verifies that sent every tag asked for", async () => {
    expect((await get("/v1/analytics.getVerifications", { apiId, tag: "path:/a" })).body).toEqual([totals(2)]);
    expect((await get("/v1/analytics.getVerifications", { apiId, tag: "path:/a,GET" })).body).toEqual([totals(2)]);
    expect((await get("/v1/analytics.getVerifications?tag=path:/a&tag=path:/b", { apiId })).body).toEqual([totals(0)]);
    const byDay = (await get("/v1/analytics.getVerifications", { apiId, tag: "path:/b", groupBy: "day,key" })).body;
    expect(byDay).toEqual([{ time: today(), keyId: expect.any(String), ...totals(1, 1) }]);
  });

  it("keeps the totals the same, whatever the tags", async () => {
    expect((await get("/v1/analytics.getVerifications", { apiId })).body).toEqual([totals(5, 1)]);
  });
});
