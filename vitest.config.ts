import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { buildSync } from "esbuild";
import { defineConfig } from "vitest/config";
import { schemaStatements } from "./scripts/schema.mjs";

/** migrations/, as `wrangler d1 migrations apply` reads them; test/helpers/setup.ts applies them. */
const migrations = await readD1Migrations(fileURLToPath(new URL("./migrations", import.meta.url)));

/** A second Worker guarded by @keygate/hono (packages/hono-keygate); auxiliary Workers must be plain JavaScript. */
const protectedWorker = buildSync({
  entryPoints: ["test/fixtures/protected-worker.ts"],
  bundle: true,
  format: "esm",
  // Provided by workerd.
  external: ["cloudflare:workers"],
  write: false,
}).outputFiles[0]!.text;

/** Tests that run inside workerd, with real local D1, KV and Durable Objects. */
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          ROOT_KEY: "test_root_key",
          // Forwarded client addresses count only with this (test/helpers/gateway.ts sends it).
          GATEWAY_PROXY_SECRET: "test_gateway_proxy_secret",
          TEST_MIGRATIONS: migrations,
          // What the migrations must build (test/workers/schema.migrations.test.ts).
          SCHEMA_STATEMENTS: schemaStatements(),
          // Property-test runs per property, and their seed: CI-sized by default (see test/helpers/fuzz.ts).
          FUZZ_RUNS: process.env.FUZZ_RUNS ?? "500",
          FUZZ_SEED: process.env.FUZZ_SEED ?? "20240611",
        },
        // Databases of their own for test/workers/schema.migrations.test.ts, beside DB.
        d1Databases: ["SCHEMA_SQL_DB", "FIRST_MIGRATION_DB", "PRE_MIGRATIONS_DB"],
        serviceBindings: { PROTECTED_WORKER: "protected-worker" },
        workers: [
          {
            name: "protected-worker",
            modules: true,
            script: protectedWorker,
            compatibilityDate: "2026-04-20",
            bindings: { GATEWAY_PROXY_SECRET: "test_gateway_proxy_secret" },
            // The pool runs Keygate as "vitest-pool-workers-runner-<project name>", and this project has no name.
            serviceBindings: { KEYGATE: "vitest-pool-workers-runner-" },
          },
        ],
      },
    }),
  ],
  test: {
    include: ["test/workers/**/*.test.ts"],
    setupFiles: ["test/helpers/setup.ts"],
    // Concurrency tests fire hundreds of requests; on a loaded 2-core machine that takes seconds.
    testTimeout: 30_000,
  },
});
