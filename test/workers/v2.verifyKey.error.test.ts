import { describe, expect, it } from "vitest";
import { call, createApi, createKey, post } from "../helpers/harness";
import { invalidFields } from "../helpers/unkeyV2Sdk";

describe("v2 keys.verifyKey errors", () => {
  it("names each invalid field by its location in the body", async () => {
    expect(await invalidFields("keys.verifyKey", {})).toEqual(["body.key"]);
    expect(await invalidFields("keys.verifyKey", { key: "k", credits: { cost: -1 }, ratelimits: [{ name: "" }] })).toEqual([
      "body.credits.cost",
      "body.ratelimits[0].name",
    ]);
    expect(await invalidFields("keys.verifyKey", { key: "k", apiId: "api_x" })).toEqual(["body"]);
  });

  it("refuses a permission query that does not parse, pointing at body.permissions", async () => {
    const { key } = await createKey(await createApi());
    for (const permissions of ["a AND", "AND a", "(a OR b", "a b", "a OR )", "((((((((((((((((((a))))))))))))))))))"]) {
      expect(await invalidFields("keys.verifyKey", { key, permissions })).toEqual(["body.permissions"]);
    }
  });

  it("refuses a named limit the key and its identity do not have, and charges nothing", async () => {
    const { key } = await createKey(await createApi(), { remaining: 3 });
    const res = await post("/v2/keys.verifyKey", { key, ratelimits: [{ name: "missing" }] });
    expect(res.status).toBe(400);
    expect(res.body.error.detail).toContain('no limit named "missing"');
    expect((await post("/v2/keys.verifyKey", { key })).body.data).toMatchObject({ valid: true, credits: 2 });
  });

  it("answers a wrong method and an unknown operation in the v2 envelope", async () => {
    const wrongMethod = await call("GET", "/v2/keys.verifyKey");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect(wrongMethod.body).toMatchObject({ meta: { requestId: expect.any(String) }, error: { status: 405, title: "Method Not Allowed" } });
    const unknown = await post("/v2/keys.noSuchOperation", {});
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ meta: { requestId: expect.any(String) }, error: { status: 404, title: "Not Found" } });
  });
});
