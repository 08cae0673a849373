import { describe, expect, it } from "vitest";
import { apiWithKey, call, get, post } from "../helpers/harness";
import { auditEventsOf, uniqueName } from "../helpers/rootKeys";

const expectError = (res: { status: number; body: any }, status: number, code: string, message?: RegExp) => {
  expect(res.status).toBe(status);
  expect(res.body.error.code).toBe(code);
  if (message) expect(res.body.error.message).toMatch(message);
};

const routes = [
  ["/v1/keys.addPermissions", "permissions"],
  ["/v1/keys.removePermissions", "permissions"],
  ["/v1/keys.setPermissions", "permissions"],
  ["/v1/keys.addRoles", "roles"],
  ["/v1/keys.removeRoles", "roles"],
  ["/v1/keys.setRoles", "roles"],
] as const;

describe("keys.* permission and role link errors", () => {
  it.each(routes)("%s is 404 for an unknown or deleted key", async (path, field) => {
    expectError(await post(path, { keyId: "key_unknown", [field]: [{ name: "x" }] }), 404, "NOT_FOUND", /key_unknown/);
    const { keyId } = await apiWithKey();
    await post("/v1/keys.deleteKey", { keyId });
    expectError(await post(path, { keyId, [field]: [{ name: "x" }] }), 404, "NOT_FOUND", new RegExp(keyId));
  });

  it.each(routes)("%s is 404 for an unknown id, or a missing name not marked create, and changes nothing", async (path, field) => {
    const { keyId } = await apiWithKey();
    const singular = field === "permissions" ? "permission" : "role";
    expectError(await post(path, { keyId, [field]: [{ id: `${singular}_unknown` }] }), 404, "NOT_FOUND", new RegExp(`${singular}_unknown`));
    const missing = uniqueName("missing");
    expectError(await post(path, { keyId, [field]: [{ name: missing }] }), 404, "NOT_FOUND", new RegExp(missing));
    expect((await get("/v1/keys.getKey", { keyId })).body[field]).toEqual([]);
    expect(await auditEventsOf(keyId)).toEqual(["key.create"]);
  });

  it("is 404 for an id marked create: only names are created", async () => {
    const { keyId } = await apiWithKey();
    expectError(await post("/v1/keys.addPermissions", { keyId, permissions: [{ id: "perm_nope", create: true }] }), 404, "NOT_FOUND");
  });

  it.each(routes)("%s is 400 naming the field for bad bodies", async (path, field) => {
    const { keyId } = await apiWithKey();
    expectError(await post(path, { [field]: [{ name: "x" }] }), 400, "BAD_REQUEST", /^keyId: /);
    expectError(await post(path, { keyId }), 400, "BAD_REQUEST", new RegExp(`^${field}: `));
    expectError(await post(path, { keyId, [field]: "x" }), 400, "BAD_REQUEST", new RegExp(`^${field}: `));
    expectError(await post(path, { keyId, [field]: ["x"] }), 400, "BAD_REQUEST", new RegExp(`^${field}\\.0: `));
    expectError(await post(path, { keyId, [field]: [{ name: "" }] }), 400, "BAD_REQUEST", new RegExp(`^${field}\\.0\\.name: `));
    expectError(await post(path, { keyId, [field]: [{}] }), 400, "BAD_REQUEST", new RegExp(`^${field}: each entry needs an id or a name`));
    expectError(await post(path, { keyId, [field]: [{ name: "x", extra: 1 }] }), 400, "BAD_REQUEST", /extra/);
  });

  it.each(routes.filter(([path]) => !path.includes(".set")))("%s is 400 for an empty list", async (path, field) => {
    const { keyId } = await apiWithKey();
    expectError(await post(path, { keyId, [field]: [] }), 400, "BAD_REQUEST", new RegExp(`^${field}: must name at least one`));
  });

  it.each(routes.filter(([path]) => path.includes(".remove")))("%s is 400 for create, which removal has no use for", async (path, field) => {
    const { keyId } = await apiWithKey();
    expectError(await post(path, { keyId, [field]: [{ name: "x", create: true }] }), 400, "BAD_REQUEST", /create/);
  });

  it.each(routes)("%s is 401 without a valid root key", async (path, field) => {
    const body = { keyId: "key_x", [field]: [{ name: "x" }] };
    expectError(await call("POST", path, { body, rootKey: null }), 401, "UNAUTHORIZED");
    expectError(await call("POST", path, { body, rootKey: "not_a_root_key" }), 401, "UNAUTHORIZED");
  });
});
