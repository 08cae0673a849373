import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
// @ts-expect-error plain ESM helper shared with the scripts
import { schemaStatements } from "./scripts/schema.mjs";

/** Tests that run inside workerd, with real local D1, KV and Durable Objects. */
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          ROOT_KEY: "test_root_key",
          TEST_SCHEMA: JSON.stringify(schemaStatements()),
        },
      },
    }),
  ],
  test: {
    include: ["test/workers/**/*.test.ts"],
    setupFiles: ["test/helpers/setup.ts"],
  },
});
