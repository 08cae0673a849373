import { createHash, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Unkey as UnkeyV1 } from "@unkey/api";
import type { Unkey } from "@unkey/api-v2";
import {
  BadRequestErrorResponse,
  ConflictErrorResponse,
  ForbiddenErrorResponse,
  NotFoundErrorResponse,
  UnauthorizedErrorResponse,
} from "@unkey/api-v2/models/errors";
import { beforeAll, describe, expect, it } from "vitest";
import { useDevServer } from "./helpers/devServer";
import { refusal, unkeyV2 } from "./helpers/unkeyV2";

/** Names must not repeat within the server's store. */
const unique = (label: string) => `${label}_${randomUUID().slice(0, 8)}`;

const requestId = expect.stringMatching(/^req_/);

interface Page<T> {
  data: T[];
  pagination?: { cursor?: string; hasMore: boolean };
}

/**
 * Every page of a list, as the SDK's iterator fetches them; each page has more after it exactly
 * when it gives a cursor.
 */
async function collectPages<T>(first: Promise<AsyncIterable<{ result: Page<T> }>>): Promise<Page<T>[]> {
  const pages: Page<T>[] = [];
  for await (const { result } of await first) {
    expect(result.pagination?.hasMore, JSON.stringify(result.pagination)).toBe(result.pagination?.cursor !== undefined);
    pages.push(result);
    if (pages.length > 100) throw new Error("the list never ends");
  }
  return pages;
}

describe("the real Unkey v2 SDK against wrangler dev", () => {
  const server = useDevServer();
  let unkey: Unkey;
  let unkeyV1: UnkeyV1;

  beforeAll(() => {
    unkey = unkeyV2(server());
    unkeyV1 = new UnkeyV1({ rootKey: server().rootKey, baseUrl: server().baseUrl, disableTelemetry: true });
  });

  /** A plain POST, for what the SDK cannot send (no root key at all) and for v1 calls it has no method for. */
  async function post(path: string, body: unknown, rootKey: string | null = server().rootKey) {
    const res = await fetch(`${server().baseUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(rootKey === null ? {} : { authorization: `Bearer ${rootKey}` }) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  /** A root key holding only these permissions. */
  async function rootKeyWith(permissions: string[]): Promise<string> {
    const { status, body } = await post("/v1/rootKeys.createRootKey", { name: unique("sdk-v2-root"), permissions });
    expect(status, JSON.stringify(body)).toBe(200);
    return body.key;
  }

  const newApi = async (label: string) => (await unkey.apis.createApi({ name: unique(label) })).data.apiId;
  const verify = async (request: Parameters<Unkey["keys"]["verifyKey"]>[0], client = unkey) => (await client.keys.verifyKey(request)).data;

  it("takes a key through its whole life", async () => {
    const name = unique("sdk-v2-lifecycle");
    const { data: createdApi, meta } = await unkey.apis.createApi({ name });
    expect(meta.requestId).toEqual(requestId);
    const { apiId } = createdApi;
    expect((await unkey.apis.getApi({ apiId })).data).toEqual({ id: apiId, name });

    const externalId = unique("customer");
    const role = unique("editor");
    await unkey.permissions.createRole({ name: role });
    const expires = Date.now() + 86_400_000;
    const { keyId, key } = (
      await unkey.keys.createKey({
        apiId,
        prefix: "v2sdk",
        name: "Customer X",
        externalId,
        meta: { plan: "pro" },
        permissions: ["documents.read"],
        roles: [role],
        expires,
        credits: { remaining: 100, refill: { interval: "daily", amount: 100 } },
        ratelimits: [{ name: "requests", limit: 10, duration: 60_000, autoApply: true }],
      })
    ).data;
    expect(key.startsWith("v2sdk_")).toBe(true);

    expect(await verify({ key, permissions: "documents.read" })).toMatchObject({
      valid: true,
      code: "VALID",
      keyId,
      name: "Customer X",
      meta: { plan: "pro" },
      expires,
      credits: 99,
      enabled: true,
      permissions: ["documents.read"],
      roles: [role],
      identity: { externalId },
      ratelimits: [{ name: "requests", limit: 10, duration: 60_000, remaining: 9, exceeded: false, autoApply: true }],
    });

    const stored = (await unkey.keys.getKey({ keyId })).data;
    expect(stored).toMatchObject({
      keyId,
      start: expect.stringMatching(/^v2sdk_/),
      enabled: true,
      name: "Customer X",
      meta: { plan: "pro" },
      createdAt: expect.any(Number),
      expires,
      permissions: ["documents.read"],
      roles: [role],
      credits: { remaining: 99, refill: { interval: "daily", amount: 100 } },
      identity: { externalId },
      ratelimits: [{ id: expect.any(String), name: "requests", limit: 10, duration: 60_000, autoApply: true }],
    });
    expect((await unkey.keys.whoami({ key })).data).toMatchObject({ keyId, name: "Customer X", start: stored.start });
    await refusal(unkey.keys.whoami({ key: `${key}x` }), NotFoundErrorResponse);

    // Only the fields sent change.
    expect((await unkey.keys.updateKey({ keyId, name: "Customer Y" })).data).toEqual({});
    expect((await unkey.keys.getKey({ keyId })).data).toMatchObject({
      name: "Customer Y",
      meta: { plan: "pro" },
      expires,
      credits: { remaining: 99 },
      identity: { externalId },
      ratelimits: [{ name: "requests", limit: 10 }],
    });
    // A list sent replaces the key's list.
    await unkey.keys.updateKey({ keyId, ratelimits: [{ name: "bulk", limit: 3, duration: 1000, autoApply: false }] });
    expect((await unkey.keys.getKey({ keyId })).data.ratelimits).toEqual([
      { id: expect.any(String), name: "bulk", limit: 3, duration: 1000, autoApply: false },
    ]);

    expect((await unkey.keys.updateCredits({ keyId, operation: "set", value: 5 })).data).toMatchObject({ remaining: 5 });
    expect((await unkey.keys.updateCredits({ keyId, operation: "increment", value: 3 })).data).toMatchObject({ remaining: 8 });
    expect((await unkey.keys.updateCredits({ keyId, operation: "decrement", value: 2 })).data).toMatchObject({ remaining: 6 });
    expect(await verify({ key })).toMatchObject({ valid: true, credits: 5 });

    // null clears a field.
    await unkey.keys.updateKey({ keyId, name: null, meta: null, expires: null, externalId: null, credits: null });
    const cleared = (await unkey.keys.getKey({ keyId })).data;
    for (const field of ["name", "meta", "expires", "identity", "credits"] as const) expect(cleared[field], field).toBeUndefined();

    expect((await unkey.keys.deleteKey({ keyId, permanent: true })).data).toEqual({});
    await refusal(unkey.keys.getKey({ keyId }), NotFoundErrorResponse);
    expect(await verify({ key })).toMatchObject({ valid: false, code: "NOT_FOUND" });

    expect((await unkey.apis.deleteApi({ apiId })).data).toEqual({});
    const gone = await refusal(unkey.apis.getApi({ apiId }), NotFoundErrorResponse);
    expect(gone.data$).toMatchObject({
      meta: { requestId },
      error: { status: 404, title: expect.any(String), detail: expect.any(String), type: expect.any(String) },
    });
  });

  it("makes a key unlimited with updateCredits set null, which also ends its refill", async () => {
    const apiId = await newApi("sdk-v2-unlimited");
    const { keyId, key } = (await unkey.keys.createKey({ apiId, credits: { remaining: 10, refill: { interval: "monthly", amount: 10, refillDay: 5 } } })).data;
    expect((await unkey.keys.updateCredits({ keyId, operation: "set", value: null })).data).toEqual({ remaining: null });
    const { credits } = (await unkey.keys.getKey({ keyId })).data;
    expect(credits?.remaining ?? null).toBeNull();
    expect(credits?.refill).toBeUndefined();
    const verified = await verify({ key });
    expect(verified).toMatchObject({ valid: true });
    expect(verified.credits).toBeUndefined();
  });

  it("rerolls a key: the old one works for the overlap given, or not at all with 0", async () => {
    const apiId = await newApi("sdk-v2-reroll");
    const original = (await unkey.keys.createKey({ apiId, name: "rotating", meta: { team: "a" } })).data;
    const overlapMs = 2000;
    const rolledAt = Date.now();
    const rolled = (await unkey.keys.rerollKey({ keyId: original.keyId, expiration: overlapMs })).data;
    expect(rolled.keyId).not.toBe(original.keyId);
    expect(rolled.key).not.toBe(original.key);
    expect(await verify({ key: rolled.key })).toMatchObject({ valid: true, keyId: rolled.keyId, name: "rotating", meta: { team: "a" } });
    expect(await verify({ key: original.key })).toMatchObject({ valid: true, keyId: original.keyId });

    const again = (await unkey.keys.rerollKey({ keyId: rolled.keyId, expiration: 0 })).data;
    expect(await verify({ key: rolled.key })).toMatchObject({ valid: false, code: "EXPIRED" });
    expect(await verify({ key: again.key })).toMatchObject({ valid: true, name: "rotating" });

    await sleep(rolledAt + overlapMs + 100 - Date.now());
    expect(await verify({ key: original.key })).toMatchObject({ valid: false, code: "EXPIRED" });
  });

  it("adds, removes and sets a key's permissions and roles", async () => {
    const apiId = await newApi("sdk-v2-rbac");
    const [read, write, remove] = [unique("docs.read"), unique("docs.write"), unique("docs.delete")];
    for (const slug of [read, write, remove]) await unkey.permissions.createPermission({ name: slug, slug });
    const { keyId, key } = (await unkey.keys.createKey({ apiId })).data;
    const slugs = (permissions: { slug: string }[]) => permissions.map((p) => p.slug).sort();

    expect(slugs((await unkey.keys.addPermissions({ keyId, permissions: [read, write] })).data)).toEqual([read, write].sort());
    expect(slugs((await unkey.keys.removePermissions({ keyId, permissions: [write] })).data)).toEqual([read]);
    expect(slugs((await unkey.keys.setPermissions({ keyId, permissions: [write, remove] })).data)).toEqual([write, remove].sort());

    expect(await verify({ key, permissions: `${write} AND (${read} OR ${remove})` })).toMatchObject({ valid: true, code: "VALID" });
    expect(await verify({ key, permissions: `${read} AND (${write} OR ${remove})` })).toMatchObject({ valid: false, code: "INSUFFICIENT_PERMISSIONS" });

    const [admin, viewer] = [unique("admin"), unique("viewer")];
    await unkey.permissions.createRole({ name: admin, permissions: [read] });
    await unkey.permissions.createRole({ name: viewer });
    const names = (roles: { name: string }[]) => roles.map((r) => r.name).sort();
    expect(names((await unkey.keys.addRoles({ keyId, roles: [admin] })).data)).toEqual([admin]);
    expect(await verify({ key, permissions: `${read} AND ${write}` })).toMatchObject({ valid: true });
    expect(names((await unkey.keys.setRoles({ keyId, roles: [admin, viewer] })).data)).toEqual([admin, viewer].sort());
    expect(names((await unkey.keys.removeRoles({ keyId, roles: [admin] })).data)).toEqual([viewer]);
    expect(await verify({ key, permissions: read })).toMatchObject({ valid: false, code: "INSUFFICIENT_PERMISSIONS" });
    expect((await unkey.keys.getKey({ keyId })).data).toMatchObject({ roles: [viewer], permissions: expect.arrayContaining([write, remove]) });
  });

  it("migrates keys by hash, and they verify unchanged", async () => {
    const apiId = await newApi("sdk-v2-migrate");
    const plaintext = `legacy_${randomUUID()}`;
    const hash = createHash("sha256").update(plaintext).digest("base64");
    const { data } = await unkey.keys.migrateKeys({
      migrationId: "sdk_v2_migration",
      apiId,
      keys: [{ hash, name: "imported", meta: { from: "legacy" }, credits: { remaining: 10 } }],
    });
    expect(data).toEqual({ migrated: [{ hash, keyId: expect.any(String) }], failed: [] });
    expect(await verify({ key: plaintext })).toMatchObject({ valid: true, keyId: data.migrated[0]!.keyId, name: "imported", credits: 9 });

    const again = await unkey.keys.migrateKeys({ migrationId: "sdk_v2_migration", apiId, keys: [{ hash }] });
    expect(again.data).toEqual({ migrated: [], failed: [hash] });
  });

  it("pages through an api's keys with the cursor", async () => {
    const apiId = await newApi("sdk-v2-pagination");
    const created = new Set<string>();
    for (let i = 0; i < 7; i++) created.add((await unkey.keys.createKey({ apiId, name: `key ${i}` })).data.keyId);

    // The SDK follows `pagination.cursor` from page to page.
    const pages = await collectPages(unkey.apis.listKeys({ apiId, limit: 3 }));
    for (const page of pages) expect(page.data.length).toBeLessThanOrEqual(3);
    const seen = pages.flatMap((page) => page.data.map((key) => key.keyId));
    expect(pages).toHaveLength(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen)).toEqual(created);
  });

  it("creates, reads, lists, updates and deletes identities", async () => {
    const externalId = unique("customer");
    const { identityId } = (
      await unkey.identities.createIdentity({ externalId, meta: { tier: "gold" }, ratelimits: [{ name: "calls", limit: 5, duration: 60_000 }] })
    ).data;
    const expected = {
      id: identityId,
      externalId,
      meta: { tier: "gold" },
      ratelimits: [{ id: expect.any(String), name: "calls", limit: 5, duration: 60_000, autoApply: expect.any(Boolean) }],
    };
    expect((await unkey.identities.getIdentity({ identity: identityId })).data).toEqual(expected);
    expect((await unkey.identities.getIdentity({ identity: externalId })).data).toEqual(expected);

    const listed = (await collectPages(unkey.identities.listIdentities({ limit: 2 }))).flatMap((page) => page.data.map((identity) => identity.externalId));
    expect(listed).toContain(externalId);

    const updated = (await unkey.identities.updateIdentity({ identity: externalId, meta: { tier: "platinum" }, ratelimits: [] })).data;
    expect(updated).toMatchObject({ id: identityId, externalId, meta: { tier: "platinum" } });
    expect(updated.ratelimits ?? []).toEqual([]);

    const conflict = await refusal(unkey.identities.createIdentity({ externalId }), ConflictErrorResponse);
    expect(conflict.error.status).toBe(409);

    expect((await unkey.identities.deleteIdentity({ identity: identityId })).meta.requestId).toEqual(requestId);
    await refusal(unkey.identities.getIdentity({ identity: externalId }), NotFoundErrorResponse);
  });

  it("creates, reads, lists and deletes permissions and roles", async () => {
    const slug = unique("billing.read");
    const { permissionId } = (await unkey.permissions.createPermission({ name: slug, slug, description: "Read invoices" })).data;
    const permission = { id: permissionId, name: slug, slug, description: "Read invoices" };
    expect((await unkey.permissions.getPermission({ permission: permissionId })).data).toEqual(permission);
    expect((await collectPages(unkey.permissions.listPermissions({ limit: 2 }))).flatMap((page) => page.data)).toContainEqual(permission);
    await refusal(unkey.permissions.createPermission({ name: slug, slug }), ConflictErrorResponse);

    const roleName = unique("billing-admin");
    const { roleId } = (await unkey.permissions.createRole({ name: roleName, description: "Handles invoices", permissions: [slug] })).data;
    const role = (await unkey.permissions.getRole({ role: roleId })).data;
    expect(role).toMatchObject({ id: roleId, name: roleName, description: "Handles invoices", permissions: [permission] });
    const roles = (await collectPages(unkey.permissions.listRoles({ limit: 2 }))).flatMap((page) => page.data);
    expect(roles).toContainEqual(expect.objectContaining({ id: roleId, name: roleName }));
    await refusal(unkey.permissions.createRole({ name: roleName }), ConflictErrorResponse);

    const otherSlug = unique("billing.write");
    await unkey.permissions.createPermission({ name: otherSlug, slug: otherSlug });
    const granted = (await unkey.permissions.setRolePermissions({ roleId, permissions: [otherSlug] })).data;
    expect(granted.map((p) => p.slug)).toEqual([otherSlug]);
    expect((await unkey.permissions.getRole({ role: roleId })).data.permissions?.map((p) => p.slug)).toEqual([otherSlug]);

    expect((await unkey.permissions.deleteRole({ role: roleId })).data).toEqual({});
    await refusal(unkey.permissions.getRole({ role: roleId }), NotFoundErrorResponse);
    expect((await unkey.permissions.deletePermission({ permission: permissionId })).data).toEqual({});
    await refusal(unkey.permissions.getPermission({ permission: permissionId }), NotFoundErrorResponse);
  });

  it("limits, with overrides set, read, listed and deleted", async () => {
    const namespace = unique("sdk-v2-ns");
    const limit = { namespace, identifier: "user_1", limit: 2, duration: 60_000 };
    const first = (await unkey.ratelimit.limit(limit)).data;
    expect(first).toMatchObject({ success: true, limit: 2, remaining: 1, reset: expect.any(Number) });
    expect(first.reset).toBeGreaterThan(Date.now() - 1000);
    expect((await unkey.ratelimit.limit(limit)).data).toMatchObject({ success: true, remaining: 0 });
    expect((await unkey.ratelimit.limit(limit)).data).toMatchObject({ success: false, remaining: 0 });

    const { overrideId } = (await unkey.ratelimit.setOverride({ namespace, identifier: "vip", limit: 100, duration: 60_000 })).data;
    const override = { overrideId, identifier: "vip", limit: 100, duration: 60_000 };
    expect((await unkey.ratelimit.getOverride({ namespace, identifier: "vip" })).data).toEqual(override);
    const { result: listed } = await unkey.ratelimit.listOverrides({ namespace });
    expect(listed.data).toEqual([override]);
    expect(listed.pagination).toEqual({ hasMore: false });
    expect((await unkey.ratelimit.limit({ namespace, identifier: "vip", limit: 1, duration: 60_000 })).data).toMatchObject({
      success: true,
      limit: 100,
      remaining: 99,
      overrideId,
    });

    const multi = (
      await unkey.ratelimit.multiLimit([
        { namespace, identifier: "user_2", limit: 1, duration: 60_000 },
        { namespace, identifier: "user_1", limit: 2, duration: 60_000 },
      ])
    ).data;
    expect(multi.passed).toBe(false);
    expect(multi.limits).toEqual([
      expect.objectContaining({ namespace, identifier: "user_2", passed: true, limit: 1, remaining: 0 }),
      expect.objectContaining({ namespace, identifier: "user_1", passed: false, limit: 2, remaining: 0 }),
    ]);

    expect((await unkey.ratelimit.deleteOverride({ namespace, identifier: "vip" })).data).toEqual({});
    await refusal(unkey.ratelimit.getOverride({ namespace, identifier: "vip" }), NotFoundErrorResponse);
  });

  it("answers analytics.getVerifications, whose SQL Keygate does not run, with a BadRequestErrorResponse naming the query", async () => {
    const err = await refusal(unkey.analytics.getVerifications({ query: "SELECT COUNT(*) FROM key_verifications_v1" }), BadRequestErrorResponse);
    expect(err.error).toMatchObject({ status: 400, title: "Bad Request" });
    expect(err.error.errors[0]).toMatchObject({ location: "body.query", fix: expect.stringContaining("analytics.getVerificationCounts") });
  });

  describe("errors arrive as the SDK's typed classes", () => {
    it("UnauthorizedErrorResponse for a root key that is not one", async () => {
      const err = await refusal(unkeyV2(server(), "not-a-root-key").apis.createApi({ name: "nope" }), UnauthorizedErrorResponse);
      expect(err.statusCode).toBe(401);
      expect({ meta: err.meta, error: err.error }).toEqual({
        meta: { requestId },
        error: { title: "Unauthorized", status: 401, detail: expect.any(String), type: expect.any(String) },
      });
    });

    it("ForbiddenErrorResponse for a root key without the permission, and nothing is written", async () => {
      const apiId = await newApi("sdk-v2-forbidden");
      const readOnly = unkeyV2(server(), await rootKeyWith(["api.*.read_api", "api.*.read_key"]));
      const err = await refusal(readOnly.keys.createKey({ apiId, name: "not allowed" }), ForbiddenErrorResponse);
      expect(err.error).toMatchObject({ status: 403, title: "Forbidden" });
      expect((await readOnly.apis.listKeys({ apiId })).result.data).toEqual([]);
    });

    it("NotFoundErrorResponse for what does not exist", async () => {
      const err = await refusal(unkey.keys.getKey({ keyId: "key_doesnotexist" }), NotFoundErrorResponse);
      expect(err.error).toMatchObject({ status: 404, title: "Not Found" });
      await refusal(unkey.apis.listKeys({ apiId: "api_doesnotexist" }), NotFoundErrorResponse);
    });

    it("BadRequestErrorResponse naming the field", async () => {
      const apiId = await newApi("sdk-v2-bad-request");
      const err = await refusal(unkey.keys.createKey({ apiId, credits: { remaining: -1 } }), BadRequestErrorResponse);
      expect(err.error).toMatchObject({ status: 400, title: "Bad Request" });
      expect(err.error.errors[0]).toMatchObject({ location: "body.credits.remaining", message: expect.any(String) });
    });
  });

  describe("verifyKey", () => {
    it("needs a root key with a verify permission; one for another api finds nothing", async () => {
      const apiId = await newApi("sdk-v2-verify-auth");
      const otherApiId = await newApi("sdk-v2-verify-auth-other");
      const { key } = (await unkey.keys.createKey({ apiId })).data;
      const { key: otherKey } = (await unkey.keys.createKey({ apiId: otherApiId })).data;

      const anonymous = await post("/v2/keys.verifyKey", { key }, null);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({
        meta: { requestId },
        error: { title: "Unauthorized", status: 401, detail: expect.any(String), type: expect.any(String) },
      });

      const noVerify = unkeyV2(server(), await rootKeyWith(["api.*.read_api", "api.*.read_key"]));
      await refusal(noVerify.keys.verifyKey({ key }), ForbiddenErrorResponse);

      const otherApiOnly = unkeyV2(server(), await rootKeyWith([`api.${otherApiId}.verify_key`]));
      expect(await verify({ key }, otherApiOnly)).toEqual({ valid: false, code: "NOT_FOUND" });
      expect(await verify({ key: otherKey }, otherApiOnly)).toMatchObject({ valid: true, code: "VALID" });
    });

    it("answers every outcome with a 200", async () => {
      const apiId = await newApi("sdk-v2-verify-outcomes");
      const create = async (request: Omit<Parameters<Unkey["keys"]["createKey"]>[0], "apiId">) => (await unkey.keys.createKey({ apiId, ...request })).data;
      const expiresAt = Date.now() + 2000;
      const expiring = await create({ expires: expiresAt });
      expect(await verify({ key: expiring.key })).toMatchObject({ valid: true, code: "VALID", expires: expiresAt });

      expect(await verify({ key: `v2sdk_${randomUUID()}` })).toEqual({ valid: false, code: "NOT_FOUND" });

      const guarded = await create({ permissions: ["a", "b"] });
      expect(await verify({ key: guarded.key, permissions: "a AND (b OR c)" })).toMatchObject({ valid: true, code: "VALID" });
      expect(await verify({ key: guarded.key, permissions: "a AND c" })).toMatchObject({ valid: false, code: "INSUFFICIENT_PERMISSIONS" });

      const metered = await create({ credits: { remaining: 1 } });
      expect(await verify({ key: metered.key })).toMatchObject({ valid: true, credits: 0 });
      expect(await verify({ key: metered.key })).toMatchObject({ valid: false, code: "USAGE_EXCEEDED", credits: 0 });

      const limited = await create({
        ratelimits: [
          { name: "auto", limit: 1, duration: 60_000, autoApply: true },
          { name: "manual", limit: 1, duration: 60_000, autoApply: false },
        ],
      });
      expect(await verify({ key: limited.key })).toMatchObject({ valid: true });
      expect(await verify({ key: limited.key })).toMatchObject({ valid: false, code: "RATE_LIMITED" });
      const manual = await create({ ratelimits: [{ name: "manual", limit: 1, duration: 60_000, autoApply: false }] });
      for (let i = 0; i < 3; i++) expect(await verify({ key: manual.key })).toMatchObject({ valid: true });
      expect(await verify({ key: manual.key, ratelimits: [{ name: "manual" }] })).toMatchObject({ valid: true });
      const named = await verify({ key: manual.key, ratelimits: [{ name: "manual" }] });
      expect(named).toMatchObject({ valid: false, code: "RATE_LIMITED" });
      expect(named.ratelimits).toContainEqual(expect.objectContaining({ name: "manual", exceeded: true, remaining: 0, autoApply: false }));

      const disabled = await create({ enabled: false });
      expect(await verify({ key: disabled.key })).toMatchObject({ valid: false, code: "DISABLED", enabled: false });
      await unkey.keys.updateKey({ keyId: disabled.keyId, enabled: true });
      expect(await verify({ key: disabled.key })).toMatchObject({ valid: true, enabled: true });

      await sleep(expiresAt + 100 - Date.now());
      expect(await verify({ key: expiring.key })).toMatchObject({ valid: false, code: "EXPIRED" });
    });
  });

  describe("one store behind v1 and v2", () => {
    it("verifies keys made through either version with the other, and sees a v1 change at once", async () => {
      const apiId = await newApi("sdk-v2-interop");
      const fromV1 = await unkeyV1.keys.create({ apiId, name: "made in v1", meta: { v: 1 } });
      if (!fromV1.result) throw new Error(`v1 createKey: ${fromV1.error?.message}`);
      expect(await verify({ key: fromV1.result.key })).toMatchObject({ valid: true, keyId: fromV1.result.keyId, name: "made in v1", meta: { v: 1 } });

      const fromV2 = (await unkey.keys.createKey({ apiId, name: "made in v2", credits: { remaining: 5 } })).data;
      expect((await unkeyV1.keys.verify({ key: fromV2.key, apiId })).result).toMatchObject({
        valid: true,
        keyId: fromV2.keyId,
        name: "made in v2",
        remaining: 4,
      });

      expect((await unkeyV1.keys.update({ keyId: fromV2.keyId, enabled: false })).error).toBeUndefined();
      expect(await verify({ key: fromV2.key })).toMatchObject({ valid: false, code: "DISABLED" });
    });
  });

  describe("under concurrency", () => {
    it("spends 20 credits exactly once among 60 concurrent verifies", async () => {
      const apiId = await newApi("sdk-v2-credits-race");
      const { keyId, key } = (await unkey.keys.createKey({ apiId, credits: { remaining: 20 } })).data;
      const outcomes = await Promise.all(Array.from({ length: 60 }, () => verify({ key })));
      const codes = outcomes.map((outcome) => outcome.code);
      expect(codes.filter((code) => code === "VALID")).toHaveLength(20);
      expect(codes.filter((code) => code === "USAGE_EXCEEDED")).toHaveLength(40);
      expect((await unkey.keys.getKey({ keyId })).data.credits?.remaining).toBe(0);
    });

    it("lets exactly 10 of 40 concurrent verifies through a limit of 10 per minute", async () => {
      const apiId = await newApi("sdk-v2-limit-race");
      const { key } = (await unkey.keys.createKey({ apiId, ratelimits: [{ name: "burst", limit: 10, duration: 60_000, autoApply: true }] })).data;
      const outcomes = await Promise.all(Array.from({ length: 40 }, () => verify({ key })));
      const codes = outcomes.map((outcome) => outcome.code);
      expect(codes.filter((code) => code === "VALID")).toHaveLength(10);
      expect(codes.filter((code) => code === "RATE_LIMITED")).toHaveLength(30);
    });
  });
});
