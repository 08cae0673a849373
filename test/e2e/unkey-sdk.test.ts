import { Unkey } from "@unkey/api";
import { describe, expect, it } from "vitest";
import { useDevServer } from "./helpers/devServer";

/** The result of a call that must succeed; a failure shows the service's error. */
function ok<T>(res: { result?: T; error?: { code: string; message: string } }): T {
  if (res.result === undefined) throw new Error(`expected success, got ${res.error?.code}: ${res.error?.message}`);
  return res.result;
}

describe("the real Unkey SDK against wrangler dev", () => {
  const server = useDevServer();
  const unkey = () => new Unkey({ rootKey: server().rootKey, baseUrl: server().baseUrl, disableTelemetry: true });

  it("takes a key through its whole life", async () => {
    const { apiId } = ok(await unkey().apis.create({ name: "sdk-lifecycle" }));
    expect(ok(await unkey().apis.get({ apiId }))).toMatchObject({ id: apiId, name: "sdk-lifecycle" });

    const { keyId, key } = ok(
      await unkey().keys.create({
        apiId,
        prefix: "sdk",
        name: "Customer X",
        meta: { plan: "pro" },
        remaining: 100,
        ratelimit: { type: "fast", limit: 10, duration: 60_000 },
        permissions: ["documents.read", "documents.write"],
      }),
    );
    expect(key.startsWith("sdk_")).toBe(true);

    const verified = ok(await unkey().keys.verify({ key, apiId, authorization: { permissions: { and: ["documents.read", "documents.write"] } } }));
    expect(verified).toMatchObject({
      keyId,
      valid: true,
      code: "VALID",
      name: "Customer X",
      meta: { plan: "pro" },
      remaining: 99,
      enabled: true,
      permissions: ["documents.read", "documents.write"],
      ratelimit: { limit: 10, remaining: 9 },
    });

    expect(ok(await unkey().keys.get({ keyId }))).toMatchObject({
      id: keyId,
      apiId,
      start: expect.stringMatching(/^sdk_/),
      name: "Customer X",
      meta: { plan: "pro" },
      remaining: 99,
      enabled: true,
      ratelimit: { limit: 10, duration: 60_000 },
    });

    ok(await unkey().keys.update({ keyId, enabled: false }));
    expect(ok(await unkey().keys.verify({ key, apiId }))).toMatchObject({ valid: false, code: "DISABLED" });

    ok(await unkey().keys.update({ keyId, enabled: true }));
    expect(ok(await unkey().keys.verify({ key, apiId }))).toMatchObject({ valid: true, code: "VALID", remaining: 98 });

    expect(ok(await unkey().keys.updateRemaining({ keyId, op: "set", value: 5 }))).toEqual({ remaining: 5 });
    expect(ok(await unkey().keys.updateRemaining({ keyId, op: "increment", value: 3 }))).toEqual({ remaining: 8 });
    expect(ok(await unkey().keys.updateRemaining({ keyId, op: "decrement", value: 2 }))).toEqual({ remaining: 6 });
    expect(ok(await unkey().keys.verify({ key, apiId }))).toMatchObject({ valid: true, remaining: 5 });

    ok(await unkey().keys.delete({ keyId }));
    expect(ok(await unkey().keys.verify({ key, apiId }))).toMatchObject({ valid: false, code: "NOT_FOUND" });

    ok(await unkey().apis.delete({ apiId }));
    expect((await unkey().apis.get({ apiId })).error?.code).toBe("NOT_FOUND");
  });

  it("pages through an api's keys with the cursor", async () => {
    const { apiId } = ok(await unkey().apis.create({ name: "sdk-pagination" }));
    const created = new Set<string>();
    for (let i = 0; i < 7; i++) created.add(ok(await unkey().keys.create({ apiId, name: `key ${i}` })).keyId);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = ok(await unkey().apis.listKeys({ apiId, limit: 3, cursor }));
      expect(page.total).toBe(7);
      expect(page.keys.length).toBeLessThanOrEqual(3);
      seen.push(...page.keys.map((k) => k.id));
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 10);

    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen)).toEqual(created);
  });

  it("returns UNAUTHORIZED for a wrong root key", async () => {
    const impostor = new Unkey({ rootKey: "not-the-root-key", baseUrl: server().baseUrl, disableTelemetry: true });
    const { result, error } = await impostor.apis.create({ name: "nope" });
    expect(result).toBeUndefined();
    expect(error).toMatchObject({ code: "UNAUTHORIZED", requestId: expect.stringMatching(/^req_/) });
  });

  it("returns BAD_REQUEST, naming the field, for an invalid request", async () => {
    const { apiId } = ok(await unkey().apis.create({ name: "sdk-bad-request" }));
    const { result, error } = await unkey().keys.create({ apiId, remaining: -1 });
    expect(result).toBeUndefined();
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("remaining") });
  });

  it("imports existing keys with migrations.createKeys and enqueueKeys, and they verify unchanged", async () => {
    const { apiId } = ok(await unkey().apis.create({ name: "sdk-migration" }));
    const existing = `legacy_${crypto.randomUUID()}`;
    const { keyIds } = ok(await unkey().migrations.createKeys([{ apiId, plaintext: existing, name: "from before" }]));
    expect(ok(await unkey().keys.verify({ key: existing, apiId }))).toMatchObject({ valid: true, keyId: keyIds[0], name: "from before" });

    const enqueued = `legacy_${crypto.randomUUID()}`;
    expect(ok(await unkey().migrations.enqueueKeys({ migrationId: "mig_sdk", apiId, keys: [{ plaintext: enqueued, name: "queued" }] }))).toEqual({});
    expect(ok(await unkey().keys.verify({ key: enqueued, apiId }))).toMatchObject({ valid: true, name: "queued" });
  });
});
