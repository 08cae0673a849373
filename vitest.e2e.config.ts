import { defineConfig } from "vitest/config";

/** Black-box tests: plain Node driving a real `wrangler dev`, one server at a time. */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    // Each file starts its own wrangler dev; two at once starve a small machine.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
