import { describe, expect, it } from "vitest";
import { call, get, post } from "../helpers/harness";
import { uniqueName } from "../helpers/rootKeys";

const expectError = (res: { status: number; body: any }, status: number, code: string, message?: RegExp) => {
  expect(res.status).toBe(status);
  expect(res.body.error.code).toBe(code);
  if (message) expect(res.body.error.message).toMatch(message);
};

describe("roles errors", () => {
  it("is 409 CONFLICT for a name the workspace already has, and creates none of its permissions", async () => {
    const name = uniqueName("dup");
    expect((await post("/v1/permissions.createRole", { name })).status).toBe(200);
    const permission = uniqueName("never");
    expectError(await post("/v1/permissions.createRole", { name, permissions: [permission] }), 409, "CONFLICT", new RegExp(name));
    const names = (await get("/v1/permissions.listPermissions", {})).body.map((p: { name: string }) => p.name);
    expect(names).not.toContain(permission);
  });

  it("is 409, never 503, for every loser of concurrent creates of one name", async () => {
    const name = uniqueName("race");
    const results = await Promise.all(Array.from({ length: 5 }, () => post("/v1/permissions.createRole", { name })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
  });

  it("is 404 for an unknown role id", async () => {
    expectError(await get("/v1/permissions.getRole", { roleId: "role_unknown" }), 404, "NOT_FOUND", /role_unknown/);
    expectError(await post("/v1/permissions.deleteRole", { roleId: "role_unknown" }), 404, "NOT_FOUND", /role_unknown/);
  });

  it("is 404 when deleting the same role twice", async () => {
    const { roleId } = (await post("/v1/permissions.createRole", { name: uniqueName("twice") })).body;
    expect((await post("/v1/permissions.deleteRole", { roleId })).status).toBe(200);
    expectError(await post("/v1/permissions.deleteRole", { roleId }), 404, "NOT_FOUND");
  });

  it.each([
    [{}, /^name: /],
    [{ name: "" }, /^name: /],
    [{ name: ["admin"] }, /^name: /],
    [{ name: "ok", description: false }, /^description: /],
    [{ name: "ok", permissions: "a" }, /^permissions: /],
    [{ name: "ok", permissions: ["a", ""] }, /^permissions\.1: /],
    [{ name: "ok", permissions: [{ name: "a" }] }, /^permissions\.0: /],
    [{ name: "ok", roles: [] }, /roles/],
  ])("is 400 naming the field for createRole %j", async (body, message) => {
    expectError(await post("/v1/permissions.createRole", body), 400, "BAD_REQUEST", message);
  });

  it("is 400 naming the field for a missing id", async () => {
    expectError(await get("/v1/permissions.getRole", {}), 400, "BAD_REQUEST", /^roleId: /);
    expectError(await post("/v1/permissions.deleteRole", {}), 400, "BAD_REQUEST", /^roleId: /);
    expectError(await post("/v1/permissions.deleteRole", { roleId: 1 }), 400, "BAD_REQUEST", /^roleId: /);
  });

  it.each([
    ["POST", "/v1/permissions.createRole", { name: "x" }],
    ["GET", "/v1/permissions.getRole", { roleId: "role_x" }],
    ["GET", "/v1/permissions.listRoles", {}],
    ["POST", "/v1/permissions.deleteRole", { roleId: "role_x" }],
  ] as const)("is 401 without a valid root key: %s %s", async (method, path, input) => {
    const options = method === "GET" ? { query: input as Record<string, string> } : { body: input };
    expectError(await call(method, path, { ...options, rootKey: null }), 401, "UNAUTHORIZED");
    expectError(await call(method, path, { ...options, rootKey: "not_a_root_key" }), 401, "UNAUTHORIZED");
  });
});
