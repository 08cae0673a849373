import { describe, expect, it } from "vitest";
import { hashKey } from "../../src/crypto/keys";
import { createApi, get, post, verify } from "../helpers/harness";
import { rootKeyWith } from "../helpers/rootKeys";

describe("migrations.createKeys", () => {
  it("imports keys by plaintext and by hash; their holders keep using them", async () => {
    const apiId = await createApi("imported");
    const byPlaintext = `sk_live_${crypto.randomUUID()}`;
    const byHash = `sk_live_${crypto.randomUUID()}`;
    // Presented before it exists, as clients do during a cutover: remembered as unknown, briefly.
    expect((await verify(byPlaintext)).code).toBe("NOT_FOUND");
    const res = await post("/v1/migrations.createKeys", [
      { apiId, plaintext: byPlaintext, name: "one", permissions: ["orders.read"], remaining: 5, externalId: "acme" },
      { apiId, hash: { value: hashKey(byHash), variant: "sha256_base64" }, start: "sk_live_", permissions: ["orders.read"] },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.keyIds).toHaveLength(2);

    expect(await verify(byPlaintext, { apiId, authorization: { permissions: "orders.read" } })).toMatchObject({
      valid: true,
      keyId: res.body.keyIds[0],
      name: "one",
      remaining: 4,
      identity: { externalId: "acme" },
    });
    expect(await verify(byHash, { authorization: { permissions: "orders.read" } })).toMatchObject({ valid: true, keyId: res.body.keyIds[1] });
    const { body } = await get("/v1/keys.getKey", { keyId: res.body.keyIds[0] });
    expect(body.start).toBe(byPlaintext.slice(0, 8));
    expect(JSON.stringify(body)).not.toContain(byPlaintext);
  });

  it("imports all or nothing: a key that already exists refuses the whole call", async () => {
    const apiId = await createApi("imported-twice");
    const existing = `sk_${crypto.randomUUID()}`;
    const fresh = `sk_${crypto.randomUUID()}`;
    expect((await post("/v1/migrations.createKeys", [{ apiId, plaintext: existing }])).status).toBe(200);
    const again = await post("/v1/migrations.createKeys", [
      { apiId, plaintext: fresh },
      { apiId, plaintext: existing },
    ]);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("CONFLICT");
    expect((await verify(fresh)).code).toBe("NOT_FOUND");
  });

  it("refuses bad input with a 400 naming what is wrong", async () => {
    const apiId = await createApi("imported-bad");
    const neither = await post("/v1/migrations.createKeys", [{ apiId }]);
    expect(neither.status).toBe(400);
    expect(neither.body.error.message).toContain("plaintext or hash");
    const both = await post("/v1/migrations.createKeys", [{ apiId, plaintext: "sk_abcdefgh", hash: { value: hashKey("x"), variant: "sha256_base64" } }]);
    expect(both.status).toBe(400);
    expect((await post("/v1/migrations.createKeys", [{ apiId, hash: { value: "nope", variant: "sha256_base64" } }])).status).toBe(400);
    expect((await post("/v1/migrations.createKeys", [])).status).toBe(400);
    expect((await post("/v1/migrations.createKeys", [{ apiId, plaintext: "sk_abcdefgh", bogus: 1 }])).status).toBe(400);
    const dup = await post("/v1/migrations.createKeys", [
      { apiId, plaintext: "sk_same_key_1" },
      { apiId, plaintext: "sk_same_key_1" },
    ]);
    expect(dup.status).toBe(400);
    const refillAlone = await post("/v1/migrations.createKeys", [{ apiId, plaintext: "sk_refill_only", refill: { interval: "daily", amount: 5 } }]);
    expect(refillAlone.status).toBe(400);
    expect(refillAlone.body.error.message).toContain("keys.0");
  });

  it("needs create_key on every api it writes to, and sees no other workspace", async () => {
    const allowed = await createApi("import-allowed");
    const other = await createApi("import-other");
    const rootKey = await rootKeyWith([`api.${allowed}.create_key`]);
    const res = await post(
      "/v1/migrations.createKeys",
      [
        { apiId: allowed, plaintext: `sk_${crypto.randomUUID()}` },
        { apiId: other, plaintext: `sk_${crypto.randomUUID()}` },
      ],
      { rootKey },
    );
    expect(res.status).toBe(403);
    expect((await post("/v1/migrations.createKeys", [{ apiId: "api_unknown", plaintext: "sk_abcdefgh" }])).status).toBe(404);
    expect((await post("/v1/migrations.createKeys", [{ apiId: allowed, plaintext: "sk_abcdefgh" }], { rootKey: null })).status).toBe(401);
  });
});
