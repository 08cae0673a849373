import { describe, expect, it } from "vitest";
import type { KeyPolicy, LimitConfig } from "../../src/store/policy";
import { planLimits, type VerifyRequest } from "../../src/verify/decide";

const minute = 60_000;

type Limits = Record<string, LimitConfig>;

/** Just the fields planLimits reads. */
const policy = ({ ratelimit = null, keyLimits = {}, identityLimits = {} }: { ratelimit?: LimitConfig | null; keyLimits?: Limits; identityLimits?: Limits }) =>
  ({ ratelimit, keyLimits: new Map(Object.entries(keyLimits)), identityLimits: new Map(Object.entries(identityLimits)) }) as KeyPolicy;

const request = (extra: Partial<VerifyRequest>): VerifyRequest => ({ keyId: "key_1", creditCost: 1, ratelimitCost: 1, ...extra });

describe("planLimits: optional named limits", () => {
  it("applies an optional name configured on the key, at cost 1, next to the default", () => {
    const planned = planLimits(
      policy({ ratelimit: { limit: 100, duration: minute }, keyLimits: { read: { limit: 10, duration: minute } } }),
      request({ ratelimitCost: 3, optionalRatelimits: ["read"] }),
    );
    expect(planned).toEqual([
      { scope: "key", name: "default", config: { limit: 100, duration: minute }, cost: 3 },
      { scope: "key", name: "read", config: { limit: 10, duration: minute }, cost: 1 },
    ]);
  });

  it("falls back to the identity's limit of that name, and the key's wins over it", () => {
    const identityOnly = planLimits(policy({ identityLimits: { write: { limit: 5, duration: minute } } }), request({ optionalRatelimits: ["write"] }));
    expect(identityOnly).toEqual([{ scope: "identity", name: "write", config: { limit: 5, duration: minute }, cost: 1 }]);
    const both = planLimits(
      policy({ keyLimits: { write: { limit: 1, duration: minute } }, identityLimits: { write: { limit: 5, duration: minute } } }),
      request({ optionalRatelimits: ["write"] }),
    );
    expect(both).toEqual([{ scope: "key", name: "write", config: { limit: 1, duration: minute }, cost: 1 }]);
  });

  it("skips a name configured nowhere, where an explicitly requested one is a 400", () => {
    expect(planLimits(policy({}), request({ optionalRatelimits: ["read", "write"] }))).toEqual([]);
    expect(() => planLimits(policy({}), request({ ratelimits: [{ name: "read" }] }))).toThrow(/no limit named "read"/);
  });

  it("never plans a limit twice: an explicit request of the same name keeps its own cost", () => {
    const planned = planLimits(
      policy({ ratelimit: { limit: 100, duration: minute }, keyLimits: { read: { limit: 10, duration: minute } } }),
      request({ ratelimits: [{ name: "read", cost: 4 }], optionalRatelimits: ["read", "default"] }),
    );
    expect(planned.map(({ name, cost }) => [name, cost])).toEqual([
      ["default", 1],
      ["read", 4],
    ]);
  });
});
