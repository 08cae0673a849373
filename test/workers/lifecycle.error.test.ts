import { describe, expect, it } from "vitest";
import { apiWithKey, createApi, post } from "../helpers/harness";

describe("lifecycle bad input", () => {
  it("names an invalid allowlist entry", async () => {
    const apiId = await createApi();
    const res = await post("/v1/keys.createKey", { apiId, ipAllowlist: ["10.0.0.0/8", "10.0.0.300"] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining('"10.0.0.300"') });
    const cidr = await post("/v1/apis.createApi", { name: "x", ipAllowlist: ["2001:db8::/129"] });
    expect(cidr.status).toBe(400);
  });

  it("refuses a negative or fractional reroll expiration", async () => {
    const { keyId } = await apiWithKey();
    expect((await post("/v1/keys.rerollKey", { keyId, expiration: -1 })).status).toBe(400);
    expect((await post("/v1/keys.rerollKey", { keyId, expiration: 1.5 })).status).toBe(400);
  });

  it("answers 404 for unknown keys", async () => {
    expect((await post("/v1/keys.revokeKey", { keyId: "key_unknown" })).status).toBe(404);
    expect((await post("/v1/keys.rerollKey", { keyId: "key_unknown" })).status).toBe(404);
  });

  it("refuses a bad audit cursor", async () => {
    const { call } = await import("../helpers/harness");
    const res = await call("GET", "/v1/audit.listLogs", { query: { cursor: "nonsense" } });
    expect(res.status).toBe(400);
  });
});
