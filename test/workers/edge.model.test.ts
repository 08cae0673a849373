import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CounterStorage } from "../../src/counters/cachedKv";
import { KeyCharge } from "../../src/counters/keyCharge";
import { KeyCredits } from "../../src/counters/keyCredits";
import { LeaseLedger } from "../../src/counters/leaseLedger";
import { LeaseBook } from "../../src/services/leaseBook";
import type { KeyPolicy } from "../../src/store/policy";
import { checkAccess, describeKey, planLimits, type VerifyRequest, type VerifyResult } from "../../src/verify/decide";
import { fuzzParameters, fuzzTimeout } from "../helpers/fuzz";

/**
 * A model of edge mode's protocol: isolates (LeaseBook) answering from leases, renewing them,
 * dying with them, and one key's object (LeaseLedger, KeyCredits and KeyCharge over one storage,
 * as in KeyState) deciding every hop and lending units, under management changes, on a clock the
 * test drives. Whatever the interleaving: no sliding window admits more than the limit, no more
 * credits are spent than there were, and no verify starting more than the bound after a change
 * answers from the state before it.
 */

const BOUND_MS = 1_000;
const LIMIT = { limit: 4, duration: 2_000 };
const CREDITS = 40;

class MemoryStorage implements CounterStorage {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  put<T>(key: string, value: T): void {
    this.values.set(key, structuredClone(value));
  }
}

function policyOf(enabled: boolean, creditsVersion: number, creditsSetTo: number, setAt: number): KeyPolicy {
  return {
    id: "key_model",
    workspaceId: "ws_model",
    apiId: "api_model",
    deleted: false,
    enabled,
    expires: null,
    name: null,
    last4: "abcd",
    ownerId: null,
    meta: null,
    environment: null,
    tier: null,
    createdAt: 0,
    permissions: [],
    permissionSlugs: [],
    roles: [],
    identity: null,
    ratelimit: LIMIT,
    keyLimits: new Map(),
    identityLimits: new Map(),
    credits: { remaining: creditsSetTo, version: creditsVersion, setAt },
    creditsFrom: null,
    refill: null,
    ipAllowlists: [],
    maxStalenessMs: BOUND_MS,
  };
}

/** The key's object: what KeyState does for a key whose counters are all its own. */
class ModelObject {
  readonly storage = new MemoryStorage();
  readonly credits: KeyCredits = new KeyCredits(this.storage, () => this.ledger.lentCredits);
  readonly ledger: LeaseLedger = new LeaseLedger(this.storage, this.credits);
  policy = policyOf(true, 1, CREDITS, 0);
  /** Every lease granted: the credits it lent and until when they could be spent. */
  readonly grants: { credits: number; validUntil: number }[] = [];

  /** Credits lent by leases that can still be spent at `now`: what a new count cannot take back. */
  spendableLent(now: number): number {
    return this.grants.filter((grant) => grant.validUntil > now).reduce((sum, grant) => sum + grant.credits, 0);
  }

  private lend(used: NonNullable<VerifyRequest["lease"]>["usedPerSecond"], now: number) {
    const lease = this.ledger.grant(this.policy, used, BOUND_MS, now);
    this.grants.push({ credits: lease.credits?.left ?? 0, validUntil: lease.validUntil });
    return lease;
  }

  verify(request: VerifyRequest, now: number): VerifyResult {
    if (request.lease) this.ledger.settle(this.policy, request.lease.returning, now);
    const result = this.decide(request, now);
    return { ...result, lease: this.lend(request.lease?.usedPerSecond ?? { limits: [], credits: 0 }, now) };
  }

  renew(request: NonNullable<VerifyRequest["lease"]>, now: number) {
    this.ledger.settle(this.policy, request.returning, now);
    return this.lend(request.usedPerSecond, now);
  }

  private decide(request: VerifyRequest, now: number): VerifyResult {
    const key = describeKey(this.policy);
    const denied = checkAccess(this.policy, request, now);
    if (denied) return { ...key, valid: false, ...denied };
    const charge = new KeyCharge(this.storage, planLimits(this.policy, request), this.credits.live(this.policy, now), request.creditCost, now);
    if (!charge.windows.allowed) return { ...key, valid: false, code: "RATE_LIMITED" };
    if (!charge.creditsFit) return { ...key, valid: false, code: "USAGE_EXCEEDED" };
    charge.commit();
    return { ...key, valid: true, code: "VALID", remaining: charge.remainingAfter };
  }
}

type Step =
  | { kind: "verify"; isolate: number; cost: number }
  | { kind: "renew"; isolate: number }
  | { kind: "die"; isolate: number }
  | { kind: "disable" }
  | { kind: "enable" }
  | { kind: "setCredits"; to: number }
  | { kind: "wait"; ms: number };

const ISOLATES = 3;
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant("verify" as const), isolate: fc.nat(ISOLATES - 1), cost: fc.constantFrom(0, 1, 1, 2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("renew" as const), isolate: fc.nat(ISOLATES - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("die" as const), isolate: fc.nat(ISOLATES - 1) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "disable" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "enable" as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("setCredits" as const), to: fc.nat(30) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("wait" as const), ms: fc.nat(700) }) },
);

interface Admission {
  at: number;
  cost: number;
}

function run(steps: Step[]) {
  const object = new ModelObject();
  let books = Array.from({ length: ISOLATES }, () => new LeaseBook());
  let now = 1_000_000;
  const admitted: Admission[] = [];
  /**
   * Credits spent since the count was last set, to what, and what leases granted before held then:
   * those may still be spent within the bound (answers from the state before the change).
   */
  let creditsSince = { setTo: CREDITS, spent: 0, heldAtSet: 0 };
  let disabledAt: number | undefined;
  const staleAnswers: number[] = [];

  const verify = (isolate: number, cost: number) => {
    const book = books[isolate]!;
    const request: VerifyRequest = { keyId: "key_model", creditCost: cost, ratelimitCost: 1 };
    let result = book.answer("key_model", request, now);
    if (!result) {
      const { lease, ...answer } = object.verify({ ...request, lease: book.report("key_model", now) }, now);
      book.accept("key_model", lease, now);
      result = answer;
    }
    if (result.valid) {
      admitted.push({ at: now, cost });
      creditsSince.spent += cost;
      if (disabledAt !== undefined && now >= disabledAt + BOUND_MS) staleAnswers.push(now);
    }
  };

  for (const s of steps) {
    switch (s.kind) {
      case "verify":
        verify(s.isolate, s.cost);
        break;
      case "renew": {
        const book = books[s.isolate]!;
        if (!book.wantsRenewal("key_model", now)) break;
        book.accept("key_model", object.renew(book.report("key_model", now, true)!, now), now);
        break;
      }
      case "die":
        books = books.map((book, i) => (i === s.isolate ? new LeaseBook() : book));
        break;
      case "disable":
        // Management fences the object, writes D1 and releases: the object reloads the policy.
        object.policy = { ...object.policy, enabled: false };
        disabledAt ??= now;
        break;
      case "enable":
        object.policy = { ...object.policy, enabled: true };
        disabledAt = undefined;
        break;
      case "setCredits": {
        const version = object.policy.credits!.version + 1;
        object.policy = { ...object.policy, credits: { remaining: s.to, version, setAt: now } };
        creditsSince = { setTo: s.to, spent: 0, heldAtSet: object.spendableLent(now) };
        break;
      }
      case "wait":
        now += s.ms;
        break;
    }
    now += 1;
  }
  return { object, books, admitted, creditsSince, staleAnswers, now };
}

/** The most admitted in any sliding window of the limit's duration. */
function busiestWindow(admitted: Admission[]): number {
  let busiest = 0;
  for (const { at } of admitted) {
    const inWindow = admitted.filter((other) => other.at > at - LIMIT.duration && other.at <= at).length;
    busiest = Math.max(busiest, inWindow);
  }
  return busiest;
}

describe("edge mode's lease protocol, against a model", () => {
  it("counts a lent unit in every window that may hold its spend: until its lease ends, plus the window", () => {
    const object = new ModelObject();
    const isolate = new LeaseBook();
    const request: VerifyRequest = { keyId: "key_model", creditCost: 0, ratelimitCost: 1 };
    const grantedAt = 1_000_000;
    const busy = { usedPerSecond: { limits: [{ name: "default", perSecond: 1_000 }], credits: 0 }, returning: [], counts: [] };
    isolate.accept("key_model", object.renew(busy, grantedAt), grantedAt);
    // Spent at the last moment of the lease, the units are in every window up to a window later.
    const lastMoment = grantedAt + BOUND_MS - 1;
    let spent = 0;
    while (isolate.answer("key_model", request, lastMoment)?.code === "VALID") spent++;
    expect(spent).toBe(LIMIT.limit);
    expect(object.verify(request, lastMoment + LIMIT.duration - 1).code).toBe("RATE_LIMITED");
    expect(object.verify(request, lastMoment + LIMIT.duration + 100).code).toBe("VALID");
  });

  it(
    "never over-admits a limit, never overspends credits, and never answers from a state older than the bound",
    () => {
      fc.assert(
        fc.property(fc.array(step, { minLength: 1, maxLength: 200 }), (steps) => {
          const { admitted, creditsSince, staleAnswers } = run(steps);
          expect(busiestWindow(admitted)).toBeLessThanOrEqual(LIMIT.limit);
          expect(creditsSince.spent).toBeLessThanOrEqual(Math.max(creditsSince.setTo, creditsSince.heldAtSet));
          expect(staleAnswers).toEqual([]);
        }),
        fuzzParameters,
      );
    },
    fuzzTimeout,
  );

  it(
    "loses no credit once every live isolate has returned its leases, and at most what dead ones held",
    () => {
      fc.assert(
        fc.property(
          fc.array(
            step.filter((s) => s.kind !== "setCredits"),
            { minLength: 1, maxLength: 200 },
          ),
          (steps) => {
            const { object, books, creditsSince, now } = run(steps);
            // Every isolate returns what it holds (its next call to the object), after the leases end.
            const later = now + BOUND_MS;
            for (const book of books) {
              book.accept("key_model", undefined, later);
              const report = book.report("key_model", later);
              if (report) object.ledger.settle(object.policy, report.returning, later);
            }
            const left = object.credits.live(object.policy, later)!.remaining;
            expect(left + creditsSince.spent).toBeLessThanOrEqual(creditsSince.setTo);
            const died = steps.some((s) => s.kind === "die");
            if (!died) expect(left + creditsSince.spent).toBe(creditsSince.setTo);
          },
        ),
        fuzzParameters,
      );
    },
    fuzzTimeout,
  );
});
