import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { conflictOnTakenName } from "../../src/services/rbac";
import { call, get, post } from "../helpers/harness";
import { uniqueName } from "../helpers/rootKeys";

const expectError = (res: { status: number; body: any }, status: number, code: string, message?: RegExp) => {
  expect(res.status).toBe(status);
  expect(res.body.error.code).toBe(code);
  if (message) expect(res.body.error.message).toMatch(message);
};

describe("permissions errors", () => {
  it("is 409 CONFLICT for a name the workspace already has", async () => {
    const name = uniqueName("dup");
    expect((await post("/v1/permissions.createPermission", { name })).status).toBe(200);
    expectError(await post("/v1/permissions.createPermission", { name, description: "again" }), 409, "CONFLICT", new RegExp(name));
  });

  it("is 409, never 503, for every loser of concurrent creates of one name", async () => {
    const name = uniqueName("race");
    const results = await Promise.all(Array.from({ length: 5 }, () => post("/v1/permissions.createPermission", { name })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
  });

  it("turns D1's unique-name violation (a create racing past the check) into 409 CONFLICT", async () => {
    const name = uniqueName("taken");
    expect((await post("/v1/permissions.createPermission", { name })).status).toBe(200);
    const duplicate = env.DB.prepare("INSERT INTO permissions (id, workspace_id, name, slug, created_at) VALUES (?, 'ws_default', ?, ?, 0)");
    await expect(conflictOnTakenName(duplicate.bind(`perm_${crypto.randomUUID()}`, name, name).run())).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("is 404 for an unknown permission id", async () => {
    expectError(await get("/v1/permissions.getPermission", { permissionId: "perm_unknown" }), 404, "NOT_FOUND", /perm_unknown/);
    expectError(await post("/v1/permissions.deletePermission", { permissionId: "perm_unknown" }), 404, "NOT_FOUND", /perm_unknown/);
  });

  it("is 404 when deleting the same permission twice", async () => {
    const { permissionId } = (await post("/v1/permissions.createPermission", { name: uniqueName("twice") })).body;
    expect((await post("/v1/permissions.deletePermission", { permissionId })).status).toBe(200);
    expectError(await post("/v1/permissions.deletePermission", { permissionId }), 404, "NOT_FOUND");
  });

  it.each([
    [{}, /^name: /],
    [{ name: "" }, /^name: /],
    [{ name: 42 }, /^name: /],
    [{ name: "x".repeat(257) }, /^name: /],
    [{ name: "ok", slug: "" }, /^slug: /],
    [{ name: "ok", description: 7 }, /^description: /],
    [{ name: "ok", surprise: true }, /surprise/],
  ])("is 400 naming the field for createPermission %j", async (body, message) => {
    expectError(await post("/v1/permissions.createPermission", body), 400, "BAD_REQUEST", message);
  });

  it("is 400 naming the field for a missing id", async () => {
    expectError(await get("/v1/permissions.getPermission", {}), 400, "BAD_REQUEST", /^permissionId: /);
    expectError(await post("/v1/permissions.deletePermission", {}), 400, "BAD_REQUEST", /^permissionId: /);
    expectError(await post("/v1/permissions.deletePermission", { permissionId: "" }), 400, "BAD_REQUEST", /^permissionId: /);
  });

  it("is 400 for a body that is not JSON", async () => {
    expectError(await call("POST", "/v1/permissions.createPermission", { rawBody: "{name:" }), 400, "BAD_REQUEST");
  });

  it.each([
    ["POST", "/v1/permissions.createPermission", { name: "x" }],
    ["GET", "/v1/permissions.getPermission", { permissionId: "perm_x" }],
    ["GET", "/v1/permissions.listPermissions", {}],
    ["POST", "/v1/permissions.deletePermission", { permissionId: "perm_x" }],
  ] as const)("is 401 without a valid root key: %s %s", async (method, path, input) => {
    const options = method === "GET" ? { query: input as Record<string, string> } : { body: input };
    expectError(await call(method, path, { ...options, rootKey: null }), 401, "UNAUTHORIZED");
    expectError(await call(method, path, { ...options, rootKey: "not_a_root_key" }), 401, "UNAUTHORIZED");
  });
});
