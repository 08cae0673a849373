import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { IdentityCharge } from "../../src/counters/identityCharge";

const limits = [{ name: "shared", config: { limit: 2, duration: 60_000 }, cost: 1 }];
/** A fresh identity's Limiter. */
const limiter = () => env.LIMITER.get(env.LIMITER.idFromName(`identityCharge-test-${crypto.randomUUID()}`));

describe("IdentityCharge", () => {
  it("refunds an admitted charge once, however often it is asked to", async () => {
    const shared = limiter();
    const first = new IdentityCharge(shared, limits);
    expect((await first.consume()).allowed).toBe(true);
    expect((await new IdentityCharge(shared, limits).consume()).allowed).toBe(true);
    await first.refund();
    await first.refund();
    // One of the two charges is left: one more fits, the next does not.
    expect((await new IdentityCharge(shared, limits).consume()).allowed).toBe(true);
    expect((await new IdentityCharge(shared, limits).consume()).allowed).toBe(false);
  });

  it("refunds nothing when the Limiter denied it", async () => {
    const shared = limiter();
    await new IdentityCharge(shared, limits).consume();
    await new IdentityCharge(shared, limits).consume();
    const denied = new IdentityCharge(shared, limits);
    expect(await denied.consume()).toMatchObject({ allowed: false, denied: "shared", states: [{ name: "shared", remaining: 0 }] });
    await denied.refund();
    expect((await new IdentityCharge(shared, limits).consume()).allowed).toBe(false);
  });
});
