import {
  V2ApisCreateApiResponseBody$inboundSchema,
  V2ApisDeleteApiResponseBody$inboundSchema,
  V2ApisGetApiResponseBody$inboundSchema,
  V2ApisListKeysResponseBody$inboundSchema,
} from "@unkey/api-v2/models/components";
import { describe, expect, it } from "vitest";
import { createApi, createKey, get, post, verify } from "../helpers/harness";
import { auditEventsOf, uniqueName } from "../helpers/rootKeys";
import { v2 } from "../helpers/unkeyV2Sdk";

const requestId = expect.stringMatching(/^req_/);

const from = (ip: string) => ({ "cf-connecting-ip": ip });

describe("v2 apis happy paths", () => {
  it("creates an api and reads it back, with Keygate's settings beside Unkey's id and name", async () => {
    const name = uniqueName("payments");
    const created = await v2<any>("apis.createApi", { name }, V2ApisCreateApiResponseBody$inboundSchema);
    const apiId = created.data.apiId;
    expect(created.data).toEqual({ apiId: expect.stringMatching(/^api_/) });

    const read = await v2<any>("apis.getApi", { apiId }, V2ApisGetApiResponseBody$inboundSchema);
    expect(read.data).toEqual({ id: apiId, name, workspaceId: "ws_default", ipAllowlist: [], keyPrefixes: {}, verifyMaxStalenessMs: null });
    expect(await auditEventsOf(apiId)).toEqual(["api.create"]);
  });

  it("takes Keygate's own settings on create", async () => {
    const body = { name: uniqueName("extras"), ipAllowlist: ["10.0.0.0/8"], keyPrefixes: { production: "pk_live" }, verifyMaxStalenessMs: 500 };
    const { data } = await v2<any>("apis.createApi", body, V2ApisCreateApiResponseBody$inboundSchema);
    const read = await v2<any>("apis.getApi", { apiId: data.apiId }, V2ApisGetApiResponseBody$inboundSchema);
    expect(read.data).toMatchObject({ ipAllowlist: ["10.0.0.0/8"], keyPrefixes: { production: "pk_live" }, verifyMaxStalenessMs: 500 });
    const { key } = await createKey(data.apiId, { environment: "production" });
    expect(key).toMatch(/^pk_live_/);
  });

  it("lists an api's keys in v2's shape, a page at a time", async () => {
    const apiId = await createApi(uniqueName("listed"));
    const externalId = uniqueName("owner");
    const first = await createKey(apiId, {
      name: "first",
      externalId,
      meta: { plan: "pro" },
      remaining: 5,
      permissions: [uniqueName("perm")],
      ratelimits: [{ name: "burst", limit: 3, duration: 1000 }],
    });
    const second = await createKey(apiId);
    const third = await createKey(apiId);

    // The SDK sends its defaults: limit 100, decrypt and revalidateKeysCache false.
    const whole = await v2<any>("apis.listKeys", { apiId, limit: 100, decrypt: false, revalidateKeysCache: false }, V2ApisListKeysResponseBody$inboundSchema);
    expect(whole.pagination).toEqual({ hasMore: false });
    expect(whole.data.map((key: { keyId: string }) => key.keyId).sort()).toEqual([first.keyId, second.keyId, third.keyId].sort());
    const described = whole.data.find((key: { keyId: string }) => key.keyId === first.keyId);
    expect(described).toMatchObject({
      keyId: first.keyId,
      start: first.key.slice(0, described.start.length),
      enabled: true,
      name: "first",
      meta: { plan: "pro" },
      createdAt: expect.any(Number),
      credits: { remaining: 5 },
      identity: { id: expect.any(String), externalId },
      ratelimits: [{ id: expect.any(String), name: "burst", limit: 3, duration: 1000, autoApply: false }],
      apiId,
    });

    const page1 = await v2<any>("apis.listKeys", { apiId, limit: 2 }, V2ApisListKeysResponseBody$inboundSchema);
    expect(page1.data).toHaveLength(2);
    expect(page1.pagination).toEqual({ cursor: expect.any(String), hasMore: true });
    const page2 = await v2<any>("apis.listKeys", { apiId, limit: 2, cursor: page1.pagination.cursor }, V2ApisListKeysResponseBody$inboundSchema);
    expect(page2.data).toHaveLength(1);
    expect(page2.pagination).toEqual({ hasMore: false });
    const paged = [...page1.data, ...page2.data].map((key: { keyId: string }) => key.keyId);
    expect(paged.sort()).toEqual([first.keyId, second.keyId, third.keyId].sort());

    const owned = await v2<any>("apis.listKeys", { apiId, externalId }, V2ApisListKeysResponseBody$inboundSchema);
    expect(owned.data.map((key: { keyId: string }) => key.keyId)).toEqual([first.keyId]);
  });

  it("lists an api without keys as an empty page", async () => {
    const apiId = await createApi(uniqueName("empty"));
    const res = await v2<any>("apis.listKeys", { apiId }, V2ApisListKeysResponseBody$inboundSchema);
    expect(res.data).toEqual([]);
    expect(res.pagination).toEqual({ hasMore: false });
  });

  it("changes only the settings given, and the api's keys follow on their next verify", async () => {
    const apiId = await createApi(uniqueName("updated"), { keyPrefixes: { staging: "stg" } });
    const { key } = await createKey(apiId);
    expect((await verify(key, {}, from("203.0.113.1"))).code).toBe("VALID");

    const res = await post("/v2/apis.updateApi", { apiId, ipAllowlist: ["10.0.0.0/8"] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ meta: { requestId }, data: {} });
    expect((await verify(key, {}, from("203.0.113.1"))).code).toBe("FORBIDDEN");
    expect((await verify(key, {}, from("10.1.2.3"))).code).toBe("VALID");

    await post("/v2/apis.updateApi", { apiId, verifyMaxStalenessMs: 250, keyPrefixes: { production: "prod" } });
    const read = await v2<any>("apis.getApi", { apiId }, V2ApisGetApiResponseBody$inboundSchema);
    expect(read.data).toMatchObject({ ipAllowlist: ["10.0.0.0/8"], keyPrefixes: { production: "prod" }, verifyMaxStalenessMs: 250 });
    expect(await auditEventsOf(apiId)).toEqual(["api.create", "key.create", "api.update", "api.update"]);
  });

  it("deletes an api; its keys fail their very next verify", async () => {
    const apiId = await createApi(uniqueName("doomed"));
    const { key } = await createKey(apiId);
    expect((await verify(key)).valid).toBe(true);

    const deleted = await v2<any>("apis.deleteApi", { apiId }, V2ApisDeleteApiResponseBody$inboundSchema);
    expect(deleted.data).toEqual({});
    expect((await verify(key)).code).toBe("NOT_FOUND");
    expect((await post("/v2/apis.getApi", { apiId })).status).toBe(404);
    expect(await auditEventsOf(apiId)).toEqual(["api.create", "key.create", "api.delete"]);
  });

  it("shares one store with v1, both ways", async () => {
    const fromV2 = (await post("/v2/apis.createApi", { name: uniqueName("v2.made") })).body.data.apiId;
    expect((await get("/v1/apis.getApi", { apiId: fromV2 })).body).toMatchObject({ id: fromV2, verifyMaxStalenessMs: null });
    await post("/v1/apis.updateApi", { apiId: fromV2, verifyMaxStalenessMs: 0 });
    expect((await post("/v2/apis.getApi", { apiId: fromV2 })).body.data.verifyMaxStalenessMs).toBe(0);

    const fromV1 = await createApi(uniqueName("v1.made"));
    const { keyId } = await createKey(fromV1);
    expect((await post("/v2/apis.listKeys", { apiId: fromV1 })).body.data.map((key: { keyId: string }) => key.keyId)).toEqual([keyId]);
    expect((await post("/v2/apis.deleteApi", { apiId: fromV1 })).status).toBe(200);
    expect((await get("/v1/apis.getApi", { apiId: fromV1 })).status).toBe(404);
  });
});
