import { env, runDurableObjectAlarm } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzParameters, fuzzTimeout } from "../helpers/fuzz";
import { apiWithKey, createApi, createKey, get, post, verify } from "../helpers/harness";
import { uniqueName } from "../helpers/rootKeys";

/**
 * Names that are members of every plain object. A caller may choose any of them for a limit, a
 * permission, a role, a meta key, a tag, an environment, a namespace or an identifier; each must
 * behave exactly as any other name would (never a 5xx, never a charge without VALID).
 */
const PROTOTYPE_NAMES = [...new Set([...Object.getOwnPropertyNames(Object.prototype), "__proto__"])];
const prototypeName = fc.constantFrom(...PROTOTYPE_NAMES);
/** Every name once, then random picks. */
const parameters = { ...fuzzParameters, numRuns: PROTOTYPE_NAMES.length, examples: PROTOTYPE_NAMES.map((name) => [name] as [string]) };

const getKey = async (keyId: string) => (await get("/v1/keys.getKey", { keyId })).body;

describe("names that are Object.prototype members", () => {
  it(
    "work as ad-hoc limits on verify: counted exactly, credits spent only on VALID",
    async () => {
      await fc.assert(
        fc.asyncProperty(prototypeName, async (name) => {
          const { key, keyId } = await apiWithKey({ remaining: 5 });
          const codes = [];
          for (let i = 0; i < 3; i++) codes.push((await verify(key, { ratelimits: [{ name, limit: 2, duration: 60_000 }] })).code);
          expect(codes).toEqual(["VALID", "VALID", "RATE_LIMITED"]);
          expect((await getKey(keyId)).remaining).toBe(3);
        }),
        parameters,
      );
    },
    fuzzTimeout,
  );

  it(
    "are unknown limits unless configured: a 400 that charges nothing",
    async () => {
      await fc.assert(
        fc.asyncProperty(prototypeName, async (name) => {
          const { key, keyId } = await apiWithKey({ remaining: 5, ratelimit: { limit: 10, duration: 60_000 } });
          const res = await post("/v1/keys.verifyKey", { key, ratelimits: [{ name }] }, { rootKey: null });
          expect(res.status).toBe(400);
          expect(res.body.error.code).toBe("BAD_REQUEST");
          const after = await verify(key);
          expect(after).toMatchObject({ code: "VALID", remaining: 4, ratelimit: { remaining: 9 } });
          expect((await getKey(keyId)).remaining).toBe(4);
        }),
        parameters,
      );
    },
    fuzzTimeout,
  );

  it(
    "work as limits configured on a key and on an identity",
    async () => {
      await fc.assert(
        fc.asyncProperty(prototypeName, async (name) => {
          const onKey = await apiWithKey({ ratelimits: [{ name, limit: 1, duration: 60_000 }] });
          expect((await verify(onKey.key, { ratelimits: [{ name }] })).code).toBe("VALID");
          expect((await verify(onKey.key, { ratelimits: [{ name }] })).code).toBe("RATE_LIMITED");

          const externalId = uniqueName("owner");
          const identity = await post("/v1/identities.createIdentity", { externalId, ratelimits: [{ name, limit: 1, duration: 60_000 }] });
          expect(identity.status).toBe(200);
          const apiId = await createApi();
          const [first, second] = [await createKey(apiId, { ownerId: externalId }), await createKey(apiId, { ownerId: externalId })];
          expect((await verify(first.key, { ratelimits: [{ name }] })).code).toBe("VALID");
          expect((await verify(second.key, { ratelimits: [{ name }] })).code).toBe("RATE_LIMITED");
        }),
        parameters,
      );
    },
    fuzzTimeout,
  );

  it(
    "work as permission and role names",
    async () => {
      await fc.assert(
        fc.asyncProperty(prototypeName, async (name) => {
          const permission = `${name}.${uniqueName("p")}`;
          // The bare names are shared by every run in this workspace: made by the first.
          expect([200, 409]).toContain((await post("/v1/permissions.createPermission", { name })).status);
          expect([200, 409]).toContain((await post("/v1/permissions.createRole", { name })).status);
          const { key, keyId } = await apiWithKey();
          const added = await post("/v1/keys.addPermissions", { keyId, permissions: [{ name }, { name: permission, create: true }] });
          expect(added.status).toBe(200);
          expect((await post("/v1/keys.addRoles", { keyId, roles: [{ name }] })).status).toBe(200);
          const verified = await verify(key, { authorization: { permissions: { and: [name, permission] } } });
          expect(verified).toMatchObject({ code: "VALID", roles: [name] });
          const missing = PROTOTYPE_NAMES.find((other) => other !== name)!;
          expect((await verify(key, { authorization: { permissions: missing } })).code).toBe("INSUFFICIENT_PERMISSIONS");
        }),
        parameters,
      );
    },
    fuzzTimeout,
  );

  it(
    "are kept as meta keys, on keys and identities, exactly as sent",
    async () => {
      await fc.assert(
        fc.asyncProperty(prototypeName, async (name) => {
          const meta = JSON.parse(`{${JSON.stringify(name)}: {"nested": true}, "plan": "pro"}`);
          const { key, keyId } = await apiWithKey({ meta });
          expect(Object.keys((await getKey(keyId)).meta)).toEqual([name, "plan"]);
          const verified = await verify(key);
          expect(verified.code).toBe("VALID");
          expect(JSON.stringify(verified.meta)).toBe(JSON.stringify(meta));

          const externalId = uniqueName("owner");
          expect((await post("/v1/identities.createIdentity", { externalId, meta })).status).toBe(200);
          const identity = await get("/v1/identities.getIdentity", { externalId });
          expect(JSON.stringify(identity.body.meta)).toBe(JSON.stringify(meta));
        }),
        parameters,
      );
    },
    fuzzTimeout,
  );

  it(
    "work as tags, kept and filtered by",
    async () => {
      await fc.assert(
        fc.asyncProperty(prototypeName, async (name) => {
          const { apiId, key, keyId } = await apiWithKey();
          expect((await verify(key, { tags: [name] })).code).toBe("VALID");
          await runDurableObjectAlarm(env.KEY_STATE.get(env.KEY_STATE.idFromName(keyId)));
          const byTag = await get("/v1/analytics.getVerifications", { apiId, keyId, tag: name, groupBy: "tags" });
          expect(byTag.status).toBe(200);
          expect(byTag.body).toEqual([expect.objectContaining({ valid: 1, tags: [name] })]);
        }),
        parameters,
      );
    },
    fuzzTimeout,
  );

  it(
    "work as environments with their own key prefix",
    async () => {
      await fc.assert(
        fc.asyncProperty(prototypeName, async (name) => {
          const apiId = await createApi("prefixed", { keyPrefixes: { [name]: "env_pfx" } as Record<string, string> });
          const withPrefix = await createKey(apiId, { environment: name });
          expect(withPrefix.key.startsWith("env_pfx_")).toBe(true);
          const api = await get("/v1/apis.getApi", { apiId });
          expect(api.body.keyPrefixes).toEqual(JSON.parse(`{${JSON.stringify(name)}: "env_pfx"}`));
          // An api without prefixes has none for these names either.
          const bare = await createKey(await createApi(), { environment: name });
          expect(bare.key).not.toContain("_");
          expect((await verify(withPrefix.key, { environment: name })).code).toBe("VALID");
        }),
        parameters,
      );
    },
    fuzzTimeout,
  );

  it(
    "work as ratelimit namespaces and identifiers, with overrides",
    async () => {
      await fc.assert(
        fc.asyncProperty(prototypeName, async (identifier) => {
          const scoped = `${identifier}.${uniqueName("ns")}`;
          const limit = () => post("/v1/ratelimits.limit", { namespace: scoped, identifier, limit: 5, duration: 60_000 });
          expect((await limit()).body).toMatchObject({ success: true, remaining: 4 });
          const override = await post("/v1/ratelimits.setOverride", { namespaceName: scoped, identifier, limit: 1, duration: 60_000 });
          expect(override.status).toBe(200);
          expect((await limit()).body).toMatchObject({ success: false, limit: 1 });
          const read = await get("/v1/ratelimits.getOverride", { namespaceName: scoped, identifier });
          expect(read.body).toMatchObject({ identifier, limit: 1 });
        }),
        parameters,
      );
    },
    fuzzTimeout,
  );
});
