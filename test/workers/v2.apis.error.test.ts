import { describe, expect, it } from "vitest";
import { call, createApi, post } from "../helpers/harness";
import { uniqueName } from "../helpers/rootKeys";
import { expectV2Error, invalidFields } from "../helpers/unkeyV2Sdk";

/** A 404 in v2's envelope. */
const notFound = async (operation: string, body: unknown) =>
  expectV2Error(await post(`/v2/${operation}`, body), 404, { code: "not_found", detail: "not found" });

describe("v2 apis errors", () => {
  it("names each missing or mistyped field by its location", async () => {
    expect(await invalidFields("apis.createApi", {})).toEqual(["body.name"]);
    expect(await invalidFields("apis.createApi", { name: "" })).toEqual(["body.name"]);
    expect(await invalidFields("apis.createApi", { name: "ok", ipAllowlist: "10.0.0.0/8", verifyMaxStalenessMs: 60_001 })).toEqual([
      "body.ipAllowlist",
      "body.verifyMaxStalenessMs",
    ]);
    expect(await invalidFields("apis.getApi", {})).toEqual(["body.apiId"]);
    expect(await invalidFields("apis.getApi", { apiId: 42 })).toEqual(["body.apiId"]);
    expect(await invalidFields("apis.deleteApi", { apiId: "" })).toEqual(["body.apiId"]);
    expect(await invalidFields("apis.listKeys", { apiId: "api_x", limit: 0 })).toEqual(["body.limit"]);
    expect(await invalidFields("apis.listKeys", { apiId: "api_x", limit: 101, decrypt: "yes" })).toEqual(["body.limit", "body.decrypt"]);
    expect(await invalidFields("apis.listKeys", { apiId: "api_x", cursor: "c".repeat(257) })).toEqual(["body.cursor"]);
    expect(await invalidFields("apis.updateApi", { apiId: "api_x", verifyMaxStalenessMs: -1 })).toEqual(["body.verifyMaxStalenessMs"]);
  });

  it("refuses fields v2 does not know", async () => {
    expect(await invalidFields("apis.getApi", { apiId: "api_x", name: "extra" })).toEqual(["body"]);
    expect(await invalidFields("apis.createApi", { name: "ok", deleteProtection: true })).toEqual(["body"]);
  });

  it("refuses an IP allowlist entry that is not an address or range, and an update that changes nothing", async () => {
    const res = await post("/v2/apis.createApi", { name: uniqueName("bad.ip"), ipAllowlist: ["not-an-ip"] });
    expect(res.status).toBe(400);
    expect(res.body.error.detail).toContain("not-an-ip");
    const apiId = await createApi(uniqueName("unchanged"));
    expect((await post("/v2/apis.updateApi", { apiId, ipAllowlist: ["999.0.0.1"] })).status).toBe(400);
    const nothing = await post("/v2/apis.updateApi", { apiId });
    expect(nothing.status).toBe(400);
    expect(nothing.body.error.detail).toContain("verifyMaxStalenessMs, ipAllowlist or keyPrefixes");
    expect((await post("/v2/apis.getApi", { apiId })).body.data.ipAllowlist).toEqual([]);
  });

  it("answers 404 for an api that does not exist or is deleted", async () => {
    await notFound("apis.getApi", { apiId: "api_doesnotexist" });
    await notFound("apis.listKeys", { apiId: "api_doesnotexist" });
    await notFound("apis.updateApi", { apiId: "api_doesnotexist", verifyMaxStalenessMs: 0 });
    await notFound("apis.deleteApi", { apiId: "api_doesnotexist" });
    const apiId = await createApi(uniqueName("twice"));
    expect((await post("/v2/apis.deleteApi", { apiId })).status).toBe(200);
    await notFound("apis.deleteApi", { apiId });
    await notFound("apis.listKeys", { apiId });
  });

  it("refuses a body that is not JSON, and a method other than POST", async () => {
    const garbled = await call("POST", "/v2/apis.getApi", { rawBody: "{not json" });
    expect(garbled.status).toBe(400);
    expect(garbled.body.error).toMatchObject({ status: 400, errors: [expect.objectContaining({ location: "body" })] });
    const wrongMethod = await call("GET", "/v2/apis.getApi");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
  });
});
