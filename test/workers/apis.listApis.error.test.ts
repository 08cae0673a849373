import { describe, expect, it } from "vitest";
import { call, get } from "../helpers/harness";

const expectError = (res: { status: number; body: any }, status: number, code: string, message?: RegExp) => {
  expect(res.status).toBe(status);
  expect(res.body.error.code).toBe(code);
  if (message) expect(res.body.error.message).toMatch(message);
};

describe("apis.listApis errors", () => {
  it("is 401 without a root key, or with one that is not a root key", async () => {
    expectError(await get("/v1/apis.listApis", {}, { rootKey: null }), 401, "UNAUTHORIZED");
    expectError(await get("/v1/apis.listApis", {}, { rootKey: "kg_root_never_issued" }), 401, "UNAUTHORIZED");
  });

  it.each([["0"], ["101"], ["1.5"], ["many"]])("is 400 naming limit for limit=%s", async (limit) => {
    expectError(await get("/v1/apis.listApis", { limit }), 400, "BAD_REQUEST", /^limit: /);
  });

  it("is 400 naming cursor for a cursor longer than any id", async () => {
    expectError(await get("/v1/apis.listApis", { cursor: "x".repeat(257) }), 400, "BAD_REQUEST", /^cursor: /);
  });

  it("is 405 with Allow: GET for a POST", async () => {
    const res = await call("POST", "/v1/apis.listApis", { body: {} });
    expectError(res, 405, "METHOD_NOT_ALLOWED");
    expect(res.headers.get("Allow")).toBe("GET");
  });
});
