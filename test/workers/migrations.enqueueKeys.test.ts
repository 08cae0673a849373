import { describe, expect, it } from "vitest";
import { hashKey } from "../../src/crypto/keys";
import { createApi, post, verify } from "../helpers/harness";
import { rootKeyWith } from "../helpers/rootKeys";

const enqueue = (body: unknown, options?: Parameters<typeof post>[2]) => post("/v1/migrations.enqueueKeys", body, options);

describe("migrations.enqueueKeys", () => {
  it("imports the keys before it answers 202, so they verify at once", async () => {
    const apiId = await createApi("enqueued");
    const byPlaintext = `sk_live_${crypto.randomUUID()}`;
    const byHash = `sk_live_${crypto.randomUUID()}`;
    const res = await enqueue({
      migrationId: "mig_1",
      apiId,
      keys: [
        { plaintext: byPlaintext, name: "one", remaining: 3 },
        { hash: { value: hashKey(byHash), variant: "sha256_base64" }, start: "sk_live_", ownerId: "acme" },
      ],
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({});
    expect(await verify(byPlaintext, { apiId })).toMatchObject({ valid: true, name: "one", remaining: 2 });
    expect(await verify(byHash, { apiId })).toMatchObject({ valid: true, ownerId: "acme" });
  });

  it("imports all or nothing, and says why on this call", async () => {
    const apiId = await createApi("enqueued-bad");
    const fresh = `sk_${crypto.randomUUID()}`;
    const bad = await enqueue({ migrationId: "mig_2", apiId, keys: [{ plaintext: fresh }, { hash: { value: "nope", variant: "sha256_base64" } }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("keys.1.hash");
    const neither = await enqueue({ migrationId: "mig_2", apiId, keys: [{ plaintext: fresh }, { name: "no secret" }] });
    expect(neither.status).toBe(400);
    expect(neither.body.error.message).toContain("plaintext or hash");
    expect((await verify(fresh)).code).toBe("NOT_FOUND");

    expect((await enqueue({ apiId, keys: [{ plaintext: fresh }] })).status).toBe(400);
    expect((await enqueue({ migrationId: "mig_2", apiId, keys: [] })).status).toBe(400);
    // A key belongs to the call's api: a per-key apiId is not part of this route.
    expect((await enqueue({ migrationId: "mig_2", apiId, keys: [{ apiId, plaintext: fresh }] })).status).toBe(400);
  });

  it("needs create_key on the api, and sees no other workspace", async () => {
    const allowed = await createApi("enqueue-allowed");
    const other = await createApi("enqueue-other");
    const rootKey = await rootKeyWith([`api.${allowed}.create_key`]);
    const key = () => ({ plaintext: `sk_${crypto.randomUUID()}` });
    expect((await enqueue({ migrationId: "m", apiId: allowed, keys: [key()] }, { rootKey })).status).toBe(202);
    expect((await enqueue({ migrationId: "m", apiId: other, keys: [key()] }, { rootKey })).status).toBe(403);
    expect((await enqueue({ migrationId: "m", apiId: "api_unknown", keys: [key()] })).status).toBe(404);
    expect((await enqueue({ migrationId: "m", apiId: allowed, keys: [key()] }, { rootKey: null })).status).toBe(401);
  });
});
