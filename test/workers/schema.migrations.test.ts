import { applyD1Migrations, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { hashKey } from "../../src/crypto/keys";
import { dispatch } from "../helpers/harness";

/**
 * Every table and index as SQLite keeps it, bar the migrations' own bookkeeping. SQLite already
 * drops IF NOT EXISTS from what it stores; comments and layout are dropped here.
 */
async function schemaOf(db: D1Database) {
  const { results } = await db
    .prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name NOT IN ('d1_migrations', 'sqlite_sequence') ORDER BY type, name")
    .all<{ type: string; name: string; tbl_name: string; sql: string | null }>();
  return results.map((object) => ({ ...object, sql: object.sql && withoutLayout(object.sql) }));
}

function withoutLayout(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, "")
    .replace(/\s+/g, " ")
    .replace(/\s*([(),])\s*/g, "$1")
    .trim();
}

async function appliedMigrations(db: D1Database): Promise<string[]> {
  const { results } = await db.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>();
  return results.map((row) => row.name);
}

describe("migrations/", () => {
  it("build exactly schema.sql", async () => {
    const db = env.SCHEMA_SQL_DB;
    await db.batch(env.SCHEMA_STATEMENTS.map((statement) => db.prepare(statement)));
    // DB is built by the migrations alone (test/helpers/setup.ts).
    const migrated = await schemaOf(env.DB);
    expect(migrated.map((object) => object.name)).toContain("root_keys");
    expect(migrated).toEqual(await schemaOf(db));
    // The bootstrap workspace, seeded by both.
    const workspaces = (of: D1Database) =>
      of
        .prepare("SELECT * FROM workspaces ORDER BY id")
        .all()
        .then(({ results }) => results);
    expect(await workspaces(env.DB)).toEqual(await workspaces(db));
    expect(await appliedMigrations(env.DB)).toEqual(env.TEST_MIGRATIONS.map((migration) => migration.name));
  });
});

const [firstMigration] = env.TEST_MIGRATIONS;
const OLD_ROOT_KEY = "kg_root_made_before_created_by";
const TABLES_WITH_DATA = ["workspaces", "apis", "keys", "root_keys", "ratelimits"];

/** A workspace with an api, a key and a root key, as Keygate wrote them before root keys recorded their creator. */
async function fillOldDatabase(db: D1Database) {
  const at = Date.UTC(2026, 0, 1);
  await db.batch([
    db.prepare("INSERT INTO workspaces (id, name, created_at) VALUES ('ws_old', 'old', ?)").bind(at),
    db.prepare("INSERT INTO apis (id, workspace_id, name, created_at) VALUES ('api_old', 'ws_old', 'orders', ?)").bind(at),
    db
      .prepare(
        "INSERT INTO keys (id, workspace_id, api_id, hash, start, last4, name, meta, created_at) VALUES ('key_old', 'ws_old', 'api_old', ?, 'sk_old', 'b4c1', 'old key', '{\"plan\":\"pro\"}', ?)",
      )
      .bind(hashKey("sk_old_7f3ab4c1"), at),
    db.prepare(`INSERT INTO ratelimits (id, workspace_id, key_id, name, "limit", duration) VALUES ('rl_old', 'ws_old', 'key_old', 'search', 5, 60000)`),
    db
      .prepare(
        "INSERT INTO root_keys (id, workspace_id, hash, start, name, permissions, created_at) VALUES ('root_old', 'ws_old', ?, ?, 'old root', '[\"*\"]', ?)",
      )
      .bind(hashKey(OLD_ROOT_KEY), OLD_ROOT_KEY.slice(0, 12), at),
  ]);
}

async function rowsOf(db: D1Database) {
  const rows: Record<string, Record<string, unknown>[]> = {};
  for (const table of TABLES_WITH_DATA) rows[table] = (await db.prepare(`SELECT * FROM ${table} ORDER BY id`).all()).results;
  return rows;
}

/** The Worker with `db` as its D1 database, called with the old root key. */
async function callOn(db: D1Database, method: "GET" | "POST", path: string, body?: unknown) {
  const request = new Request(new URL(path, "http://keygate.test"), {
    method,
    headers: { authorization: `Bearer ${OLD_ROOT_KEY}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const response = await dispatch(request, { DB: db });
  return { status: response.status, body: (await response.json()) as any };
}

describe.each([
  {
    madeBy: "the first migration",
    db: env.FIRST_MIGRATION_DB,
    make: (db: D1Database) => applyD1Migrations(db, [firstMigration!]),
  },
  {
    // What every database deployed before migrations existed looks like: no d1_migrations table.
    madeBy: "schema.sql before migrations existed",
    db: env.PRE_MIGRATIONS_DB,
    make: (db: D1Database) => db.batch(firstMigration!.queries.map((query) => db.prepare(query))),
  },
])("a database made by $madeBy, with data in it", ({ db, make }) => {
  it("upgrades to the latest migration with its data intact, and Keygate works on it", async () => {
    await make(db);
    await fillOldDatabase(db);
    const before = await rowsOf(db);
    // Without created_by, listing root keys fails: the upgrade is needed.
    expect((await callOn(db, "GET", "/v1/rootKeys.listRootKeys")).status).toBe(503);

    await applyD1Migrations(db, env.TEST_MIGRATIONS);

    expect(await appliedMigrations(db)).toEqual(env.TEST_MIGRATIONS.map((migration) => migration.name));
    expect(await schemaOf(db)).toEqual(await schemaOf(env.DB));
    const after = await rowsOf(db);
    // Columns added since are NULL on the old rows (who created a root key, an api's own staleness
    // bound, a key's last use).
    expect(after).toEqual({
      ...before,
      root_keys: before.root_keys!.map((row) => ({ ...row, created_by: null })),
      apis: before.apis!.map((row) => ({ ...row, verify_max_staleness_ms: null })),
      keys: before.keys!.map((row) => ({ ...row, last_used_at: null })),
      // Named limits kept through the table's rebuild, none applied unasked.
      ratelimits: before.ratelimits!.map((row) => ({ ...row, auto_apply: 0 })),
    });

    const listed = await callOn(db, "GET", "/v1/rootKeys.listRootKeys");
    expect(listed).toEqual({ status: 200, body: { rootKeys: [expect.objectContaining({ id: "root_old", name: "old root", createdBy: null })] } });
    const api = await callOn(db, "GET", "/v1/apis.getApi?apiId=api_old");
    expect(api.body).toMatchObject({ id: "api_old", name: "orders", workspaceId: "ws_old" });
    const key = await callOn(db, "GET", "/v1/keys.getKey?keyId=key_old");
    expect(key.body).toMatchObject({
      id: "key_old",
      apiId: "api_old",
      name: "old key",
      meta: { plan: "pro" },
      ratelimits: [{ id: "rl_old", name: "search", limit: 5, duration: 60000, autoApply: false }],
    });

    const created = await callOn(db, "POST", "/v1/rootKeys.createRootKey", { name: "new root", permissions: ["api.*.read_api"] });
    expect(created.status).toBe(200);
    const { body } = await callOn(db, "GET", "/v1/rootKeys.listRootKeys");
    expect(body.rootKeys).toEqual([
      expect.objectContaining({ id: "root_old", createdBy: null }),
      expect.objectContaining({ id: created.body.keyId, createdBy: "root_old" }),
    ]);
  });
});
