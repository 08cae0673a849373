import type { Env as KeygateEnv } from "../../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends KeygateEnv {
      /** schema.sql as statements, applied before each test file. */
      TEST_SCHEMA: string;
      /** Runs per property-based test, and the seed they start from. */
      FUZZ_RUNS: string;
      FUZZ_SEED: string;
      /** test/fixtures/protected-worker.ts: another Worker that checks keys with Keygate. */
      PROTECTED_WORKER: Fetcher;
    }
  }
}
