import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { hashKey } from "../../src/crypto/keys";
import { call, get } from "../helpers/harness";

const expectError = (res: { status: number; body: any }, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.body.error.code).toBe(code);
};

describe("rootKeys.whoami errors", () => {
  it("is 401 without a root key, or with one that is not a root key", async () => {
    expectError(await get("/v1/rootKeys.whoami", {}, { rootKey: null }), 401, "UNAUTHORIZED");
    expectError(await get("/v1/rootKeys.whoami", {}, { rootKey: "kg_root_never_issued" }), 401, "UNAUTHORIZED");
    expectError(await get("/v1/rootKeys.whoami", {}, { rootKey: null, headers: { authorization: "Basic dGVzdDp0ZXN0" } }), 401, "UNAUTHORIZED");
  });

  it("is 401 for an expired root key", async () => {
    const plaintext = `test_root_${crypto.randomUUID()}`;
    await env.DB.prepare("INSERT INTO root_keys (id, workspace_id, hash, start, name, permissions, expires, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(`root_${crypto.randomUUID()}`, "ws_default", hashKey(plaintext), plaintext.slice(0, 10), "expired", '["*"]', Date.now() - 1, Date.now() - 10_000)
      .run();
    expectError(await get("/v1/rootKeys.whoami", {}, { rootKey: plaintext }), 401, "UNAUTHORIZED");
  });

  it("is 405 with Allow: GET for a POST", async () => {
    const res = await call("POST", "/v1/rootKeys.whoami", { body: {} });
    expectError(res, 405, "METHOD_NOT_ALLOWED");
    expect(res.headers.get("Allow")).toBe("GET");
  });
});
