import { BadRequestErrorResponse } from "@unkey/api-v2/models/errors";
import { describe, expect, it } from "vitest";
import { call, createApi, post } from "../helpers/harness";
import { errorLocations, expectV2Error, unkeyV2 } from "../helpers/unkeyV2Sdk";

describe("v2 analytics.getVerifications (SQL)", () => {
  it("refuses any query with a 400 on body.query that says what to call instead", async () => {
    const res = await post("/v2/analytics.getVerifications", { query: "SELECT COUNT(*) FROM key_verifications_v1" });
    expectV2Error(res, 400);
    expect(res.body.error.errors).toEqual([
      {
        location: "body.query",
        message: expect.stringContaining("does not run SQL"),
        fix: expect.stringContaining("POST /v2/analytics.getVerificationCounts"),
      },
    ]);
    expect(res.body.error.errors[0].fix).toContain("GET /v1/analytics.getVerifications");
  });

  it("is the SDK's typed BadRequestErrorResponse", async () => {
    const refused = unkeyV2().analytics.getVerifications({ query: "SELECT 1" });
    await expect(refused).rejects.toBeInstanceOf(BadRequestErrorResponse);
    await expect(refused).rejects.toMatchObject({ error: { errors: [{ location: "body.query" }] } });
  });

  it("still names a missing or mistyped query as the field at fault", async () => {
    expect(errorLocations(await post("/v2/analytics.getVerifications", {}))).toEqual(["body.query"]);
    expect(errorLocations(await post("/v2/analytics.getVerifications", { query: 1 }))).toEqual(["body.query"]);
  });
});

describe("v2 analytics.getVerificationCounts errors", () => {
  it.each([
    [{ apiId: undefined }, ["body.apiId"]],
    [{ groupBy: ["hour"] }, ["body.groupBy[0]"]],
    [{ groupBy: "day" }, ["body.groupBy"]],
    [{ keyIds: "key_1" }, ["body.keyIds"]],
    [{ tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, ["body.tags"]],
    [{ start: -1 }, ["body.start"]],
    [{ limit: 0 }, ["body.limit"]],
    [{ orderBy: "latency" }, ["body.orderBy"]],
    [{ keyId: ["key_1"] }, ["body"]],
  ])("refuses %j with a 400 naming the field", async (body, locations) => {
    const res = await post("/v2/analytics.getVerificationCounts", { apiId: "api_x", ...body });
    expectV2Error(res, 400);
    expect(errorLocations(res)).toEqual(locations);
  });

  it("refuses combinations the counts cannot answer", async () => {
    const apiId = await createApi();
    for (const body of [{ start: 2_000, end: 1_000 }, { groupBy: ["day", "month"] }, { groupBy: ["tag", "tags"] }, { orderBy: "time" }]) {
      expectV2Error(await post("/v2/analytics.getVerificationCounts", { apiId, ...body }), 400);
    }
  });

  it("is a 404 for an api that does not exist", async () => {
    expectV2Error(await post("/v2/analytics.getVerificationCounts", { apiId: "api_missing" }), 404);
  });
});

describe("v2 audit, workspaces and root keys errors", () => {
  it.each([
    ["/v2/audit.listLogs", { limit: 101 }, ["body.limit"]],
    ["/v2/audit.listLogs", { since: "yesterday" }, ["body.since"]],
    ["/v2/audit.listLogs", { actor: "me" }, ["body"]],
    ["/v2/workspaces.createWorkspace", { name: "" }, ["body.name"]],
    ["/v2/workspaces.createWorkspace", { name: "line\nbreak" }, ["body.name"]],
    ["/v2/rootKeys.createRootKey", { permissions: [] }, ["body.name"]],
    ["/v2/rootKeys.createRootKey", { name: "k", permissions: "*" }, ["body.permissions"]],
    ["/v2/rootKeys.listRootKeys", { limit: 0 }, ["body.limit"]],
    ["/v2/rootKeys.deleteRootKey", {}, ["body.keyId"]],
  ])("%s refuses %j with a 400", async (path, body, locations) => {
    const res = await post(path, body);
    expectV2Error(res, 400);
    expect(errorLocations(res)).toEqual(locations);
  });

  it.each([
    ["/v2/audit.listLogs", { cursor: "nonsense" }, "cursor:"],
    ["/v2/rootKeys.listRootKeys", { cursor: "nonsense" }, "cursor:"],
    ["/v2/rootKeys.createRootKey", { name: "k", permissions: [], expires: 1 }, "expires:"],
  ])("%s refuses %j, found wrong past the schema, with a 400 whose detail names the field", async (path, body, field) => {
    const res = await post(path, body);
    expectV2Error(res, 400);
    expect(res.body.error.detail.startsWith(field)).toBe(true);
  });

  it("is a 404 for a root key or a workspace that does not exist", async () => {
    expectV2Error(await post("/v2/rootKeys.deleteRootKey", { keyId: "root_missing" }), 404);
    expectV2Error(await post("/v2/rootKeys.createRootKey", { workspaceId: "ws_missing", name: "k", permissions: [] }), 404);
  });

  it("answers a wrong method with a 405, and an unknown operation with a 404, in the v2 envelope", async () => {
    const post405 = await post("/v2/liveness", {}, { rootKey: null });
    expectV2Error(post405, 405);
    expect(post405.headers.get("allow")).toBe("GET");
    expectV2Error(await call("GET", "/v2/audit.listLogs"), 405);
    expectV2Error(await post("/v2/audit.deleteLogs", {}), 404);
  });
});
