import { describe, expect, it } from "vitest";
import { jsonPoster, useDevServer } from "./helpers/devServer";

/** Exactness of credits and limits over real HTTP, with every request in flight at once. */
describe("counters against wrangler dev", () => {
  const server = useDevServer();

  const post = jsonPoster(server);

  async function newKey(settings: Record<string, unknown>) {
    const { apiId } = await post("/v1/apis.createApi", { name: "counters" });
    return post("/v1/keys.createKey", { apiId, ...settings });
  }

  it("spends exactly 50 credits under 200 concurrent verifies", async () => {
    const { key } = await newKey({ remaining: 50 });
    const results = await Promise.all(Array.from({ length: 200 }, () => post("/v1/keys.verifyKey", { key }, null)));
    expect(results.filter((r) => r.valid)).toHaveLength(50);
    expect(results.filter((r) => r.code === "USAGE_EXCEEDED")).toHaveLength(150);
  });

  it("admits exactly 10 of 100 concurrent verifies against a limit of 10", async () => {
    const { key } = await newKey({ ratelimit: { limit: 10, duration: 60_000 } });
    const results = await Promise.all(Array.from({ length: 100 }, () => post("/v1/keys.verifyKey", { key }, null)));
    expect(results.filter((r) => r.valid)).toHaveLength(10);
    expect(results.filter((r) => r.code === "RATE_LIMITED")).toHaveLength(90);
  });

  it("sees a disable on the very next verify after a warm cache", async () => {
    const { key, keyId } = await newKey({});
    expect((await post("/v1/keys.verifyKey", { key }, null)).code).toBe("VALID");
    await post("/v1/keys.updateKey", { keyId, enabled: false });
    expect((await post("/v1/keys.verifyKey", { key }, null)).code).toBe("DISABLED");
  });
});
