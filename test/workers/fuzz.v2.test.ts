import { env } from "cloudflare:test";
import * as sdkSchemas from "@unkey/api-v2/models/components";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { authorization, strangerKey } from "../helpers/arbitraries";
import {
  type Api,
  expectSound,
  type FuzzRequest,
  fuzzParameters,
  fuzzRuns,
  fuzzTimeout,
  loadApi,
  type Operation,
  type Reply,
  type RequestParts,
  requestFor,
  send,
} from "../helpers/fuzz";
import { apiWithKey, createKey, post, ROOT_KEY } from "../helpers/harness";
import { rootKeyWith, uniqueName } from "../helpers/rootKeys";

/**
 * Property-based hostile input against every Unkey v2 operation in /openapi.json: never a 5xx,
 * every error in v2's RFC 7807 envelope, every 200 in the shape the real SDK parses, and a refused
 * request leaves the store as it was.
 */

let api: Api;
/** Every v2 operation, by name. */
let operations: Map<string, Operation>;
/** The names of those that take a root key: all but liveness. */
let rootKeyOperations: string[];
/** Real resources by the request field that takes them, so that generated requests also get past "not found". */
let pool: Record<string, string[]>;
/** The same again for the operations that delete: once one succeeds, the others still find what they need. */
let victims: Record<string, string[]>;
/** Plaintext keys that verify; only a request carrying one may be told `valid: true`. */
const liveKeys = new Set<string>();
let readOnlyRootKey: string;

const destroys = (name: string) => /\.(delete|revoke)/.test(name);

async function resources(): Promise<Record<string, string[]>> {
  const externalId = uniqueName("fuzz-v2-owner");
  const permission = uniqueName("fuzz.v2.permission");
  const role = uniqueName("fuzz-v2-role");
  const { apiId, keyId, key } = await apiWithKey({
    externalId,
    permissions: [permission],
    roles: [role],
    ratelimits: [{ name: "read", limit: 5, duration: 60_000 }],
  });
  const metered = await createKey(apiId, { remaining: 3, name: "metered" });
  for (const live of [key, metered.key]) liveKeys.add(live);
  const { permissionId } = (await post("/v1/permissions.createPermission", { name: uniqueName("fuzz.v2.other") })).body;
  const { roleId } = (await post("/v1/permissions.createRole", { name: uniqueName("fuzz-v2-other") })).body;
  const { identityId } = (await post("/v1/identities.createIdentity", { externalId: uniqueName("fuzz-v2-identity") })).body;
  const { keyId: rootKeyId } = (await post("/v1/rootKeys.createRootKey", { name: uniqueName("fuzz-v2-root"), permissions: ["api.*.read_api"] })).body;
  const namespace = uniqueName("fuzz-v2-namespace");
  const identifier = uniqueName("fuzz-v2-user");
  await post("/v1/ratelimits.setOverride", { namespaceName: namespace, identifier, limit: 5, duration: 60_000 });
  return {
    apiId: [apiId],
    keyId: [keyId, metered.keyId, rootKeyId],
    keyIds: [keyId, metered.keyId],
    key: [key, metered.key],
    externalId: [externalId],
    identity: [identityId, externalId],
    permission: [permissionId, permission],
    role: [roleId, role],
    roleId: [roleId],
    permissions: [permission],
    roles: [role],
    name: [permission, role, "read"],
    slug: [permission],
    namespace: [namespace],
    identifier: [identifier],
  };
}

beforeAll(async () => {
  api = await loadApi();
  operations = new Map(api.operations.filter((op) => op.path.startsWith("/v2/")).map((op) => [op.name, op]));
  rootKeyOperations = [...operations.keys()].filter((name) => name !== "GET /v2/liveness");
  pool = await resources();
  victims = await resources();
  readOnlyRootKey = await rootKeyWith(["api.*.read_api", "api.*.read_key"]);
});

/** Cases as [operation name, request], so that a counterexample prints short. */
const cases = (parts: Omit<RequestParts, "shape">, hostility: number, names = rootKeyOperations) =>
  fc.constantFrom(...names).chain((name) => {
    const shape = { pool: destroys(name) ? victims : pool, hostility };
    return requestFor(api, operations.get(name)!, { ...parts, shape }).map((request) => [name, request] as const);
  });

/** Mostly the root key that may do anything; now and then one that may only read, or none that works. */
const anyRootKey = () =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(`Bearer ${ROOT_KEY}`) },
    { weight: 1, arbitrary: fc.constant(`Bearer ${readOnlyRootKey}`) },
    { weight: 1, arbitrary: fc.option(authorization(strangerKey), { nil: undefined }) },
  );

/** `/v2/keys.createKey` → the SDK's `V2KeysCreateKeyResponseBody`; undefined where the SDK has none (liveness, Keygate's own). */
function sdkResponseSchema(path: string): { safeParse(value: unknown): { success: boolean; error?: unknown } } | undefined {
  const [group, operation] = path.slice("/v2/".length).split(".");
  if (!group || !operation) return undefined;
  const name = `V2${group[0]!.toUpperCase()}${group.slice(1)}${operation[0]!.toUpperCase()}${operation.slice(1)}ResponseBody$inboundSchema`;
  return (sdkSchemas as Record<string, any>)[name];
}

/**
 * What every v2 answer must be: the request id of the header in `meta`; an error in RFC 7807
 * form whose `status` is the HTTP status, a 400 listing each invalid field by location; a 200
 * that the real SDK parses, and `valid: true` only for a key that verifies.
 */
function expectV2Answer(op: Operation, request: FuzzRequest, reply: Reply): void {
  const fail = (why: string) => {
    throw new Error(`${op.name}: ${why}\n  ${reply.status} ${reply.text.slice(0, 500)}`);
  };
  if (request.method === "HEAD") return;
  const requestId = reply.headers.get("Unkey-Request-Id");
  if (reply.json?.meta?.requestId !== requestId) fail("meta.requestId is not the Unkey-Request-Id header");

  if (reply.status >= 400) {
    const { error, ...rest } = reply.json;
    if (Object.keys(rest).join() !== "meta") fail(`fields beside meta and error: ${Object.keys(rest)}`);
    const { title, detail, status, type, errors, ...extra } = error ?? {};
    if (Object.keys(extra).length > 0) fail(`unknown error fields ${Object.keys(extra)}`);
    if (status !== reply.status) fail(`error.status ${status} is not the HTTP status`);
    for (const [field, value] of Object.entries({ title, detail, type })) if (typeof value !== "string" || value === "") fail(`error.${field} is not a string`);
    if (reply.status !== 400) {
      if (errors !== undefined) fail("errors[] outside a 400");
      return;
    }
    if (!Array.isArray(errors) || errors.length === 0) fail("a 400 without errors[]");
    for (const entry of errors) {
      if (typeof entry?.location !== "string" || !/^body(\.|\[|$)/.test(entry.location)) fail(`errors[] location ${JSON.stringify(entry?.location)}`);
      if (typeof entry.message !== "string" || entry.message === "") fail("errors[] without a message");
    }
    return;
  }

  if (reply.status !== 200) fail(`status ${reply.status}`);
  const sdkSchema = sdkResponseSchema(op.path);
  const parsed = sdkSchema?.safeParse(reply.json);
  if (parsed && !parsed.success) fail(`the real SDK refuses this answer: ${String(parsed.error)}`);
  if (op.path === "/v2/keys.verifyKey" && reply.json.data.valid === true) {
    const body = request.bodyText();
    if (![...liveKeys].some((key) => body.includes(key))) fail("valid: true for a request that carried no key that verifies");
  }
}

/** Tables written after the answer, by the verification buffer's alarm, and the column it sets. */
const WRITTEN_LATER = new Set(["verifications", "verification_tags"]);
const COLUMNS_WRITTEN_LATER = new Set(["last_used_at"]);

/** One statement per table, made once the migrations have run. */
let fingerprintStatements: D1PreparedStatement[] | undefined;

/**
 * The store as a few numbers: for each table its row count and, per column, a sum over its values
 * (integers as they are, other values by length), so that an insert, a delete or almost any
 * update shows.
 */
async function storeFingerprint(): Promise<unknown[]> {
  if (!fingerprintStatements) {
    const { results: tables } = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'",
    ).all<{ name: string }>();
    fingerprintStatements = [];
    for (const { name } of tables) {
      if (WRITTEN_LATER.has(name)) continue;
      const { results: columns } = await env.DB.prepare(`PRAGMA table_info("${name}")`).all<{ name: string }>();
      const sums = columns
        .filter((column) => !COLUMNS_WRITTEN_LATER.has(column.name))
        .map((column) => `total(CASE typeof("${column.name}") WHEN 'integer' THEN "${column.name}" ELSE length("${column.name}") END) AS "${column.name}"`);
      fingerprintStatements.push(env.DB.prepare(`SELECT '${name}' AS "table", COUNT(*) AS "rows", ${sums.join(", ")} FROM "${name}"`));
    }
  }
  return (await env.DB.batch(fingerprintStatements)).map((result) => result.results[0]);
}

describe("Unkey v2 operations under hostile input", () => {
  it(
    "answer below 500: errors in the v2 envelope, 200s as the real SDK parses them",
    async () => {
      const every = [...operations.keys()];
      const wellFormed = cases({ authorization: anyRootKey() }, 0, every);
      const hostile = cases({ authorization: anyRootKey(), otherMethods: true }, 0.1, every);
      await fc.assert(
        fc.asyncProperty(fc.oneof(wellFormed, hostile), async ([name, request]) => {
          const op = operations.get(name)!;
          const reply = await send(request);
          expectSound(api, op, request, reply);
          expectV2Answer(op, request, reply);
        }),
        // About twenty requests per operation at the default run count.
        { ...fuzzParameters, numRuns: fuzzRuns * 2 },
      );
    },
    fuzzTimeout * 2,
  );

  it(
    "refuse a missing, malformed or unknown root key with 401 before reading the request",
    async () => {
      const notARootKey = fc.option(authorization(strangerKey.filter((key) => key !== ROOT_KEY)), { nil: undefined });
      await fc.assert(
        fc.asyncProperty(cases({ authorization: notARootKey }, 0.3), async ([name, request]) => {
          const reply = await send(request);
          // The body limit holds for every route, before authentication.
          if (reply.status === 413) return;
          expect(reply.status, reply.text).toBe(401);
          expectV2Answer(operations.get(name)!, request, reply);
          expect(reply.json.error.title).toBe("Unauthorized");
        }),
        fuzzParameters,
      );
    },
    fuzzTimeout,
  );

  it(
    "leave the store as it was when they refuse a request",
    async () => {
      const rootKey = fc.oneof({ weight: 3, arbitrary: fc.constant(`Bearer ${ROOT_KEY}`) }, { weight: 1, arbitrary: fc.constant(`Bearer ${readOnlyRootKey}`) });
      await fc.assert(
        // Well-formed requests get refused for what they ask (403, 404, 409, 412); hostile ones for how.
        fc.asyncProperty(fc.oneof(cases({ authorization: rootKey }, 0), cases({ authorization: rootKey }, 0.2)), async ([name, request]) => {
          const before = await storeFingerprint();
          const reply = await send(request);
          if (reply.status < 400) return;
          expect(await storeFingerprint(), `${name} was refused with ${reply.status} ${reply.text.slice(0, 300)} yet changed the store`).toEqual(before);
        }),
        fuzzParameters,
      );
    },
    fuzzTimeout,
  );
});
