import { describe, expect, it } from "vitest";
import { jsonPoster, useDevServer } from "./helpers/devServer";

const BOUND_MS = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Edge mode against wrangler dev: verifies answered from leases, changes seen within the bound, counters still exact. */
describe("edge mode (VERIFY_MAX_STALENESS_MS=1000) against wrangler dev", () => {
  const server = useDevServer({ extraArgs: ["--var", `VERIFY_MAX_STALENESS_MS:${BOUND_MS}`] });

  const post = jsonPoster(server);
  const verify = (key: string) => post("/v1/keys.verifyKey", { key }, null);

  async function newKey(settings: Record<string, unknown> = {}) {
    const { apiId } = await post("/v1/apis.createApi", { name: "edge" });
    return post("/v1/keys.createKey", { apiId, ...settings });
  }

  /**
   * Runs the change once the key's lease is warm, then verifies until it is refused; every verify
   * that starts more than the bound after the change returned must already see it.
   */
  async function seenWithinBound(change: (keyId: string) => Promise<unknown>, refusedAs: string) {
    const { key, keyId } = await newKey();
    for (let i = 0; i < 5; i++) expect((await verify(key)).code).toBe("VALID");
    await change(keyId);
    const changedAt = Date.now();
    for (;;) {
      const startedAt = Date.now();
      const { code } = await verify(key);
      if (code === refusedAs) return startedAt - changedAt;
      expect(code).toBe("VALID");
      expect(startedAt - changedAt).toBeLessThanOrEqual(BOUND_MS);
      await sleep(50);
    }
  }

  it("sees a disable within the bound", async () => {
    const seenAfter = await seenWithinBound((keyId) => post("/v1/keys.updateKey", { keyId, enabled: false }), "DISABLED");
    expect(seenAfter).toBeLessThanOrEqual(BOUND_MS + 50);
  });

  it("sees a delete within the bound", async () => {
    const seenAfter = await seenWithinBound((keyId) => post("/v1/keys.deleteKey", { keyId }), "NOT_FOUND");
    expect(seenAfter).toBeLessThanOrEqual(BOUND_MS + 50);
  });

  it("sees a revoke within the bound", async () => {
    const seenAfter = await seenWithinBound((keyId) => post("/v1/keys.revokeKey", { keyId }), "DISABLED");
    expect(seenAfter).toBeLessThanOrEqual(BOUND_MS + 50);
  });

  it("admits at most 10 of 100 concurrent verifies against a limit of 10, and loses no unit once the leases settle", async () => {
    const { key } = await newKey({ ratelimit: { limit: 10, duration: 60_000 } });
    const results = await Promise.all(Array.from({ length: 100 }, () => verify(key)));
    const admitted = results.filter((r) => r.valid).length;
    expect(admitted).toBeLessThanOrEqual(10);
    expect(results.filter((r) => !r.valid).every((r) => r.code === "RATE_LIMITED")).toBe(true);
    // Concurrent first verifies each bring this isolate a lease, and units lent to the leases it
    // replaced are held back until they are returned: once every lease has ended (renewals
    // included), the next verify returns them and the window holds exactly what was admitted.
    await sleep(BOUND_MS + 500);
    const last = await verify(key);
    expect(last.ratelimit.remaining + admitted + (last.valid ? 1 : 0)).toBe(10);
  });

  it("spends at most 50 of 50 credits under 200 concurrent verifies, and loses none once the leases settle", async () => {
    const { key } = await newKey({ remaining: 50 });
    const results = await Promise.all(Array.from({ length: 200 }, () => verify(key)));
    const spent = results.filter((r) => r.valid).length;
    expect(spent).toBeLessThanOrEqual(50);
    // Once the leases have ended, the next verify takes the hop and hands back what was not spent;
    // its `remaining` is the object's count after that, before it lends again.
    await sleep(BOUND_MS + 100);
    const last = await verify(key);
    expect(last.remaining + spent + (last.valid ? 1 : 0)).toBe(50);
  });
});
