import { env } from "cloudflare:test";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { hashKey } from "../../src/crypto/keys";
import { fuzzParameters, fuzzTimeout } from "../helpers/fuzz";
import { type CallResult, get, post, ROOT_KEY } from "../helpers/harness";
import { rootKeyWith, uniqueName } from "../helpers/rootKeys";

/** A private workspace, so that "nothing was stored" can count its rows. */
const workspaceId = `ws_${crypto.randomUUID()}`;
let as: { rootKey: string };
let apiId: string;
let keyId: string;
let identityId: string;
let namespaceName: string;

beforeAll(async () => {
  as = { rootKey: await rootKeyWith(["*"], workspaceId) };
  apiId = (await post("/v1/apis.createApi", { name: "names" }, as)).body.apiId;
  keyId = (await post("/v1/keys.createKey", { apiId }, as)).body.keyId;
  identityId = (await post("/v1/identities.createIdentity", { externalId: uniqueName("names") }, as)).body.identityId;
  namespaceName = uniqueName("names");
  expect((await post("/v1/ratelimits.limit", { namespace: namespaceName, identifier: "u", limit: 1, duration: 60_000 }, as)).status).toBe(200);
});

interface Case {
  /** The field's length limit when below 256; such fields need not be unique, so they get no unique suffix. */
  max?: number;
  /** Sends the value in its field; `stored` reads back what was kept (absent where the field is accepted and not kept). */
  send(value: string): Promise<{ res: CallResult; stored?: () => Promise<unknown> }>;
}

const via = (request: (value: string) => Promise<CallResult>, read: (res: CallResult) => Promise<unknown>): Case => ({
  send: async (value) => {
    const res = await request(value);
    return { res, stored: () => read(res) };
  },
});

/** An imported key, read back through the hash of its plaintext. */
const importing = (route: "createKeys" | "enqueueKeys", field: (value: string) => object, read?: (key: any) => unknown, max?: number): Case => ({
  max,
  send: async (value) => {
    const plaintext = `imported_${crypto.randomUUID()}`;
    const settings = { plaintext, ...field(value) };
    const res =
      route === "createKeys"
        ? await post("/v1/migrations.createKeys", [{ apiId, ...settings }], as)
        : await post("/v1/migrations.enqueueKeys", { migrationId: "m", apiId, keys: [settings] }, as);
    return {
      res,
      stored:
        read &&
        (async () => {
          const row = await env.DB.prepare("SELECT id FROM keys WHERE hash = ?").bind(hashKey(plaintext)).first<{ id: string }>();
          return read(await key(row!.id));
        }),
    };
  },
});

const key = async (id: string) => (await get("/v1/keys.getKey", { keyId: id }, as)).body;
const identity = async (id: string) => (await get("/v1/identities.getIdentity", { identityId: id }, as)).body;
const permission = async (id: string) => (await get("/v1/permissions.getPermission", { permissionId: id }, as)).body;
const role = async (id: string) => (await get("/v1/permissions.getRole", { roleId: id }, as)).body;
const limit = (name: string) => ({ name, limit: 1, duration: 60_000 });
const createKey = (body: object) => post("/v1/keys.createKey", { apiId, ...body }, as);
const updateKey = (body: object) => post("/v1/keys.updateKey", { keyId, ...body }, as);
const newKey = (read: (key: any) => unknown) => async (res: CallResult) => read(await key(res.body.keyId));
const sameKey = (read: (key: any) => unknown) => async () => read(await key(keyId));
const firstRow = async (sql: string, ...values: unknown[]) =>
  Object.values(
    (await env.DB.prepare(sql)
      .bind(...values)
      .first())!,
  )[0];

/** Every field that takes a one-line name, by "route field", the field as the 400 names it. */
const cases: Record<string, Case> = {
  "apis.createApi name": via(
    (v) => post("/v1/apis.createApi", { name: v }, as),
    async (res) => (await get("/v1/apis.getApi", { apiId: res.body.apiId }, as)).body.name,
  ),
  "keys.createKey name": via(
    (v) => createKey({ name: v }),
    newKey((k) => k.name),
  ),
  "keys.createKey ownerId": via(
    (v) => createKey({ ownerId: v }),
    newKey((k) => k.ownerId),
  ),
  "keys.createKey externalId": via(
    (v) => createKey({ externalId: v }),
    newKey((k) => k.identity.externalId),
  ),
  "keys.createKey roles.0": via(
    (v) => createKey({ roles: [v] }),
    newKey((k) => k.roles[0]),
  ),
  "keys.createKey permissions.0": via(
    (v) => createKey({ permissions: [v] }),
    newKey((k) => k.permissions[0]),
  ),
  "keys.createKey ratelimits.0.name": via(
    (v) => createKey({ ratelimits: [limit(v)] }),
    newKey((k) => k.ratelimits[0].name),
  ),
  "keys.updateKey name": via(
    (v) => updateKey({ name: v }),
    sameKey((k) => k.name),
  ),
  "keys.updateKey ownerId": via(
    (v) => updateKey({ ownerId: v }),
    sameKey((k) => k.ownerId),
  ),
  "keys.updateKey externalId": via(
    (v) => updateKey({ externalId: v }),
    sameKey((k) => k.identity.externalId),
  ),
  "keys.updateKey roles.0.name": via(
    (v) => updateKey({ roles: [{ name: v, create: true }] }),
    sameKey((k) => k.roles[0]),
  ),
  "keys.updateKey permissions.0.slug": via(
    (v) => updateKey({ permissions: [{ slug: v, create: true }] }),
    sameKey((k) => k.permissions[0]),
  ),
  "keys.updateKey ratelimits.0.name": via(
    (v) => updateKey({ ratelimits: [limit(v)] }),
    sameKey((k) => k.ratelimits[0].name),
  ),
  "keys.addPermissions permissions.0.name": via(
    (v) => post("/v1/keys.addPermissions", { keyId, permissions: [{ name: v, create: true }] }, as),
    async (res) => (await permission(res.body[0].id)).name,
  ),
  "keys.setPermissions permissions.0.name": via(
    (v) => post("/v1/keys.setPermissions", { keyId, permissions: [{ name: v, create: true }] }, as),
    async (res) => (await permission(res.body[0].id)).name,
  ),
  "keys.addRoles roles.0.name": via(
    (v) => post("/v1/keys.addRoles", { keyId, roles: [{ name: v, create: true }] }, as),
    async (res) => (await role(res.body[0].id)).name,
  ),
  "keys.setRoles roles.0.name": via(
    (v) => post("/v1/keys.setRoles", { keyId, roles: [{ name: v, create: true }] }, as),
    async (res) => (await role(res.body[0].id)).name,
  ),
  "identities.createIdentity externalId": via(
    (v) => post("/v1/identities.createIdentity", { externalId: v }, as),
    async (res) => (await identity(res.body.identityId)).externalId,
  ),
  "identities.createIdentity ratelimits.0.name": via(
    (v) => post("/v1/identities.createIdentity", { externalId: uniqueName("names"), ratelimits: [limit(v)] }, as),
    async (res) => (await identity(res.body.identityId)).ratelimits[0].name,
  ),
  "identities.updateIdentity ratelimits.0.name": via(
    (v) => post("/v1/identities.updateIdentity", { identityId, ratelimits: [limit(v)] }, as),
    async () => (await identity(identityId)).ratelimits[0].name,
  ),
  "permissions.createPermission name": via(
    (v) => post("/v1/permissions.createPermission", { name: v }, as),
    async (res) => (await permission(res.body.permissionId)).name,
  ),
  "permissions.createPermission slug": via(
    (v) => post("/v1/permissions.createPermission", { name: uniqueName("names"), slug: v }, as),
    async (res) => (await permission(res.body.permissionId)).slug,
  ),
  "permissions.createRole name": via(
    (v) => post("/v1/permissions.createRole", { name: v }, as),
    async (res) => (await role(res.body.roleId)).name,
  ),
  "permissions.createRole permissions.0": via(
    (v) => post("/v1/permissions.createRole", { name: uniqueName("names"), permissions: [v] }, as),
    async (res) => (await role(res.body.roleId)).permissions[0],
  ),
  // No route reads a namespace's name or an override's stored identifier back, so D1 does.
  "ratelimits.limit namespace": via(
    (v) => post("/v1/ratelimits.limit", { namespace: v, identifier: "u", limit: 1, duration: 60_000 }, as),
    () => firstRow("SELECT name FROM ratelimit_namespaces WHERE workspace_id = ? ORDER BY rowid DESC", workspaceId),
  ),
  "ratelimits.setOverride identifier": via(
    (v) => post("/v1/ratelimits.setOverride", { namespaceName, identifier: v, limit: 1, duration: 60_000 }, as),
    (res) => firstRow("SELECT identifier FROM ratelimit_overrides WHERE id = ?", res.body.overrideId),
  ),
  "rootKeys.createRootKey name": via(
    (v) => post("/v1/rootKeys.createRootKey", { name: v, permissions: ["api.*.read_api"] }, as),
    async (res) => (await get("/v1/rootKeys.listRootKeys", {}, as)).body.rootKeys.find((k: any) => k.id === res.body.keyId).name,
  ),
  "workspaces.createWorkspace name": via(
    (v) => post("/v1/workspaces.createWorkspace", { name: v }, { rootKey: ROOT_KEY }),
    (res) => firstRow("SELECT name FROM workspaces WHERE id = ?", res.body.workspaceId),
  ),
  "migrations.createKeys 0.name": importing(
    "createKeys",
    (v) => ({ name: v }),
    (k) => k.name,
  ),
  "migrations.createKeys 0.ownerId": importing(
    "createKeys",
    (v) => ({ ownerId: v }),
    (k) => k.ownerId,
  ),
  "migrations.createKeys 0.externalId": importing(
    "createKeys",
    (v) => ({ externalId: v }),
    (k) => k.identity.externalId,
  ),
  "migrations.createKeys 0.roles.0": importing(
    "createKeys",
    (v) => ({ roles: [v] }),
    (k) => k.roles[0],
  ),
  "migrations.createKeys 0.permissions.0": importing(
    "createKeys",
    (v) => ({ permissions: [v] }),
    (k) => k.permissions[0],
  ),
  "migrations.createKeys 0.ratelimits.0.name": importing(
    "createKeys",
    (v) => ({ ratelimits: [limit(v)] }),
    (k) => k.ratelimits[0].name,
  ),
  "migrations.createKeys 0.start": importing(
    "createKeys",
    (v) => ({ start: v }),
    (k) => k.start,
    32,
  ),
  // Accepted for compatibility with Unkey and not kept: the imported key is its plaintext or hash.
  "migrations.createKeys 0.prefix": importing("createKeys", (v) => ({ prefix: v }), undefined, 16),
  "migrations.enqueueKeys keys.0.name": importing(
    "enqueueKeys",
    (v) => ({ name: v }),
    (k) => k.name,
  ),
  "migrations.enqueueKeys keys.0.externalId": importing(
    "enqueueKeys",
    (v) => ({ externalId: v }),
    (k) => k.identity.externalId,
  ),
  "migrations.enqueueKeys keys.0.prefix": importing("enqueueKeys", (v) => ({ prefix: v }), undefined, 16),
};
const names = Object.keys(cases);

/** Rows of the private workspace, and workspaces by a name: what a refused request must leave as it was. */
async function footprint(value: string) {
  const tables = ["apis", "identities", "keys", "ratelimits", "permissions", "roles", "root_keys", "ratelimit_namespaces", "audit_logs"];
  const counts = await env.DB.batch<{ n: number }>([
    ...tables.map((table) => env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE workspace_id = ?`).bind(workspaceId)),
    env.DB.prepare("SELECT count(*) AS n FROM ratelimit_overrides JOIN ratelimit_namespaces n ON n.id = namespace_id WHERE n.workspace_id = ?").bind(
      workspaceId,
    ),
    env.DB.prepare("SELECT count(*) AS n FROM workspaces WHERE name = ?").bind(value),
  ]);
  // The key and identity that the update routes change.
  return { counts: counts.map((c) => c.results[0]!.n), key: await key(keyId), identity: await identity(identityId) };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters the rule refuses.
const CONTROL = /[\u0000-\u001f\u007f]/;
const controlCharacter = fc.constantFrom(...Array.from({ length: 0x20 }, (_, c) => String.fromCharCode(c)), "\u007f");
/** Emoji with joiners, CJK, right-to-left, accents and combining marks, zero-width joiners, spaces. */
const otherUnicode = fc.oneof(
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }),
  fc.constantFrom("👩‍👩‍👧‍👦", "鍵の名前", "مفتاح API", "Ünïcødé", "e\u0301", "a\u200db", "\u200f", " x ", "🏳️‍🌈", "\u0085\u2028"),
);

const fits = (name: string) => (value: string) => value.length <= (cases[name]!.max ?? 256);
const withControl = (name: string) =>
  fc
    .tuple(fc.string({ unit: "binary", maxLength: 8 }), controlCharacter, fc.string({ unit: "binary", maxLength: 8 }))
    .map(([before, control, after]) => before + control + after)
    .filter(fits(name));
/** Unique where the field must be (a short field has no room and need not be). */
const withoutControl = (name: string) =>
  otherUnicode
    .filter((text) => !CONTROL.test(text))
    .map((text) => (cases[name]!.max ? text : `${text}.${crypto.randomUUID().slice(0, 8)}`))
    .filter(fits(name));

const field = (name: string) => name.slice(name.indexOf(" ") + 1);

async function expectRefused(name: string, value: string) {
  const before = await footprint(value);
  const { res } = await cases[name]!.send(value);
  expect(res.status, `${name} ${JSON.stringify(value)}`).toBe(400);
  expect(res.body.error.code).toBe("BAD_REQUEST");
  expect(res.body.error.message).toBe(`${field(name)}: must not contain control characters`);
  expect(await footprint(value)).toEqual(before);
}

describe("names refuse control characters", () => {
  it("refuses NUL, tab, newline, carriage return, escape and DEL in every name, storing nothing", async () => {
    for (const name of names) {
      for (const control of ["\u0000", "\t", "\n", "\r", "\u001b", "\u007f"]) await expectRefused(name, `a${control}b`);
    }
  });

  it(
    "refuses a control character anywhere in any name, storing nothing",
    async () => {
      const attempt = fc.constantFrom(...names).chain((name) => withControl(name).map((value) => [name, value] as const));
      await fc.assert(
        fc.asyncProperty(attempt, async ([name, value]) => expectRefused(name, value)),
        fuzzParameters,
      );
    },
    fuzzTimeout,
  );

  it(
    "accepts names of any other Unicode and reads them back unchanged",
    async () => {
      const attempt = fc.constantFrom(...names).chain((name) => withoutControl(name).map((value) => [name, value] as const));
      await fc.assert(
        fc.asyncProperty(attempt, async ([name, value]) => {
          const { res, stored } = await cases[name]!.send(value);
          expect(res.status, `${name} ${JSON.stringify(value)}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
          if (stored) expect(await stored()).toBe(value);
        }),
        fuzzParameters,
      );
    },
    fuzzTimeout,
  );

  it("documents the rule in the OpenAPI document", async () => {
    const doc = (await get("/openapi.json", {}, { rootKey: null })).body;
    const { pattern } = doc.paths["/v1/apis.createApi"].post.requestBody.content["application/json"].schema.properties.name;
    expect(new RegExp(pattern).test("鍵 👩‍👩‍👧")).toBe(true);
    expect(new RegExp(pattern).test("a\nb")).toBe(false);
    expect(new RegExp(pattern).test("a\u007f")).toBe(false);
  });

  it("leaves descriptions, meta and verify's lookups free-form", async () => {
    const multiLine = "Reads records.\nNever writes them.";
    const created = await post("/v1/permissions.createPermission", { name: uniqueName("names"), description: multiLine }, as);
    expect((await permission(created.body.permissionId)).description).toBe(multiLine);
    const meta = { note: "line one\nline two\u0000" };
    const res = await createKey({ meta });
    expect((await key(res.body.keyId)).meta).toEqual(meta);
    const issued = (await createKey({})).body.key;
    const verified = await post("/v1/keys.verifyKey", { key: issued, ratelimits: [{ name: "a\nb", limit: 1, duration: 60_000 }] }, { rootKey: null });
    expect(verified.status).toBe(200);
    expect(verified.body.valid).toBe(true);
  });

  it("still reaches an override stored with a control character before the rule, to read and delete it", async () => {
    const namespaceId = await firstRow("SELECT id FROM ratelimit_namespaces WHERE workspace_id = ? AND name = ?", workspaceId, namespaceName);
    const identifier = `legacy\n${crypto.randomUUID()}`;
    await env.DB.prepare('INSERT INTO ratelimit_overrides (id, namespace_id, identifier, "limit", duration, created_at) VALUES (?, ?, ?, 1, 60000, ?)')
      .bind(`rlo_${crypto.randomUUID()}`, namespaceId, identifier, Date.now())
      .run();
    expect((await get("/v1/ratelimits.getOverride", { namespaceName, identifier }, as)).body.identifier).toBe(identifier);
    expect((await post("/v1/ratelimits.deleteOverride", { namespaceName, identifier }, as)).status).toBe(200);
    expect(await env.DB.prepare("SELECT id FROM ratelimit_overrides WHERE identifier = ?").bind(identifier).first()).toBeNull();
  });
});
