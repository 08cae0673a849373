import type { D1Migration } from "cloudflare:test";
import type { Env as KeygateEnv } from "../../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends KeygateEnv {
      /** migrations/, applied to DB before each test file (test/helpers/setup.ts). */
      TEST_MIGRATIONS: D1Migration[];
      /** schema.sql as statements: what the migrations must build. */
      SCHEMA_STATEMENTS: string[];
      /** Empty databases for test/workers/schema.migrations.test.ts. */
      SCHEMA_SQL_DB: D1Database;
      FIRST_MIGRATION_DB: D1Database;
      PRE_MIGRATIONS_DB: D1Database;
      /** Runs per property-based test, and the seed they start from. */
      FUZZ_RUNS: string;
      FUZZ_SEED: string;
      /** test/fixtures/protected-worker.ts: another Worker that checks keys with Keygate. */
      PROTECTED_WORKER: Fetcher;
    }
  }
}
