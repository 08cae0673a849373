import { env } from "cloudflare:test";
import { V2KeysVerifyKeyResponseBody$inboundSchema } from "@unkey/api-v2/models/components";
import { describe, expect, it } from "vitest";
import { createApi, createKey, post } from "../helpers/harness";
import { uniqueName } from "../helpers/rootKeys";
import { v2 } from "../helpers/unkeyV2Sdk";

/** keys.verifyKey through v2, with the bootstrap root key; the answer must parse as the v2 SDK's. */
const verifyV2 = async (key: string, extra: Record<string, unknown> = {}) =>
  (await v2("keys.verifyKey", { key, ...extra }, V2KeysVerifyKeyResponseBody$inboundSchema)).data;

describe("v2 keys.verifyKey happy paths", () => {
  it("verifies a key made through v1 with every field v2 answers", async () => {
    const apiId = await createApi();
    const externalId = uniqueName("user");
    const { keyId, key } = await createKey(apiId, {
      name: "Customer X",
      externalId,
      meta: { plan: "pro" },
      permissions: ["documents.read", "documents.write"],
      roles: ["editor"],
      expires: Date.now() + 3_600_000,
      remaining: 10,
      ratelimit: { limit: 5, duration: 60_000 },
    });

    const data = await verifyV2(key, { credits: { cost: 3 } });
    expect(data).toEqual({
      valid: true,
      code: "VALID",
      keyId,
      name: "Customer X",
      meta: { plan: "pro" },
      expires: expect.any(Number),
      credits: 7,
      enabled: true,
      permissions: ["documents.read", "documents.write"],
      roles: ["editor"],
      identity: { id: expect.stringMatching(/^id_/), externalId, meta: {} },
      ratelimits: [
        { id: `${keyId}:default`, name: "default", limit: 5, duration: 60_000, autoApply: true, exceeded: false, remaining: 4, reset: expect.any(Number) },
      ],
    });
  });

  it("evaluates permission query strings: AND binds tighter than OR, parentheses group", async () => {
    const { key } = await createKey(await createApi(), { permissions: ["a", "c"] });
    const codeFor = async (permissions: string) => (await verifyV2(key, { permissions })).code;
    expect(await codeFor("a")).toBe("VALID");
    expect(await codeFor("a AND c")).toBe("VALID");
    expect(await codeFor("a AND b")).toBe("INSUFFICIENT_PERMISSIONS");
    expect(await codeFor("b OR a AND c")).toBe("VALID");
    expect(await codeFor("(b OR a) AND d")).toBe("INSUFFICIENT_PERMISSIONS");
    expect(await codeFor("b OR (a AND (d OR c))")).toBe("VALID");
  });

  it("checks permissions by slug as v2 names them, and by name as v1 does", async () => {
    const slug = uniqueName("documents.read");
    const created = await post("/v2/permissions.createPermission", { name: `Read documents ${slug}`, slug });
    expect(created.status).toBe(200);
    const { keyId, key } = await createKey(await createApi());
    const added = await post("/v2/keys.addPermissions", { keyId, permissions: [slug] });
    expect(added.body.data).toEqual([expect.objectContaining({ id: created.body.data.permissionId, slug })]);
    expect((await verifyV2(key, { permissions: slug })).code).toBe("VALID");
    expect((await verifyV2(key, { permissions: `${slug} AND missing` })).code).toBe("INSUFFICIENT_PERMISSIONS");
    const v1 = await post("/v1/keys.verifyKey", { key, authorization: { permissions: `Read documents ${slug}` } }, { rootKey: null });
    expect(v1.body.code).toBe("VALID");
  });

  it("spends credits.cost (default 1, 0 spends none) and answers USAGE_EXCEEDED when they run out", async () => {
    const { key } = await createKey(await createApi(), { remaining: 2 });
    expect(await verifyV2(key, { credits: { cost: 0 } })).toMatchObject({ valid: true, credits: 2 });
    expect(await verifyV2(key)).toMatchObject({ valid: true, credits: 1 });
    expect(await verifyV2(key, { credits: { cost: 2 } })).toMatchObject({ valid: false, code: "USAGE_EXCEEDED", credits: 1 });
    expect(await verifyV2(key)).toMatchObject({ valid: true, credits: 0 });
    expect(await verifyV2(key)).toMatchObject({ valid: false, code: "USAGE_EXCEEDED", credits: 0 });
  });

  it("applies autoApply limits on every verify and others only when named", async () => {
    const { key } = await createKey(await createApi(), {
      ratelimits: [
        { name: "always", limit: 2, duration: 60_000, autoApply: true },
        { name: "onRequest", limit: 1, duration: 60_000 },
      ],
    });
    const first = await verifyV2(key);
    expect(first.valid).toBe(true);
    expect(first.ratelimits).toEqual([expect.objectContaining({ name: "always", autoApply: true, exceeded: false, remaining: 1 })]);

    const named = await verifyV2(key, { ratelimits: [{ name: "onRequest" }] });
    expect(named.valid).toBe(true);
    expect(named.ratelimits.map((limit: { name: string }) => limit.name).sort()).toEqual(["always", "onRequest"]);

    const refused = await verifyV2(key);
    expect(refused).toMatchObject({ valid: false, code: "RATE_LIMITED" });
    expect(refused.ratelimits).toEqual([expect.objectContaining({ name: "always", exceeded: true, remaining: 0 })]);
  });

  it("shares an identity's autoApply limit across its keys", async () => {
    const apiId = await createApi();
    const externalId = uniqueName("team");
    const identity = await post("/v1/identities.createIdentity", {
      externalId,
      ratelimits: [{ name: "team", limit: 1, duration: 60_000, autoApply: true }],
    });
    expect(identity.status).toBe(200);
    const first = await createKey(apiId, { externalId });
    const second = await createKey(apiId, { externalId });
    expect((await verifyV2(first.key)).valid).toBe(true);
    const refused = await verifyV2(second.key);
    expect(refused).toMatchObject({ valid: false, code: "RATE_LIMITED" });
    expect(refused.ratelimits).toEqual([expect.objectContaining({ name: "team", autoApply: true, exceeded: true })]);
  });

  it("answers DISABLED, EXPIRED and NOT_FOUND with HTTP 200", async () => {
    const apiId = await createApi();
    const disabled = await createKey(apiId, { enabled: false });
    expect(await verifyV2(disabled.key)).toMatchObject({ valid: false, code: "DISABLED", keyId: disabled.keyId });
    const expiring = await createKey(apiId, { expires: Date.now() + 1_000 });
    await env.DB.prepare("UPDATE keys SET expires = ? WHERE id = ?")
      .bind(Date.now() - 1, expiring.keyId)
      .run();
    await post("/v1/keys.updateKey", { keyId: expiring.keyId, name: "expired" });
    expect(await verifyV2(expiring.key)).toMatchObject({ valid: false, code: "EXPIRED" });
    expect(await verifyV2("sk_no_such_key_anywhere")).toEqual({ valid: false, code: "NOT_FOUND" });
  });

  it("sees a change made through v1 on the very next v2 verify, and v2's spending through v1", async () => {
    const { keyId, key } = await createKey(await createApi(), { remaining: 5 });
    expect(await verifyV2(key)).toMatchObject({ valid: true, credits: 4 });
    expect((await post("/v1/keys.verifyKey", { key }, { rootKey: null })).body).toMatchObject({ valid: true, remaining: 3 });
    expect((await post("/v1/keys.updateKey", { keyId, enabled: false })).status).toBe(200);
    expect(await verifyV2(key)).toMatchObject({ valid: false, code: "DISABLED" });
  });
});
