import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { authorization, clientAddress, strangerKey } from "../helpers/arbitraries";
import {
  type Api,
  expectSound,
  type FuzzKeys,
  fuzzParameters,
  fuzzTimeout,
  issueKeys,
  loadApi,
  type Operation,
  requestFor,
  send,
  someKey,
  UNKEY_ENVELOPE,
} from "../helpers/fuzz";

let api: Api;
/** Every documented route with an error envelope of its own: the dialects (Kombo, Konpro, Kirim, …). */
let dialects: Map<string, Operation>;
let keys: FuzzKeys;

beforeAll(async () => {
  api = await loadApi();
  dialects = new Map(api.operations.filter((op) => op.kind === "key" && !op.errorEnvelopes.includes(UNKEY_ENVELOPE)).map((op) => [op.name, op]));
  keys = await issueKeys();
});

/** Each documented header gets values of its kind: keys where a key goes, addresses where an address goes. */
const headerValues = (key: fc.Arbitrary<string>) => (name: string) => (/key/i.test(name) ? key : /ip|forwarded/i.test(name) ? clientAddress : undefined);

const cases = (key: fc.Arbitrary<string>, hostility: number, authorizationValue = authorization(key)) =>
  fc.constantFrom(...dialects.keys()).chain((name) =>
    requestFor(api, dialects.get(name)!, {
      authorization: fc.option(authorizationValue, { nil: undefined, freq: 8 }),
      headerParameter: headerValues(key),
      shape: { pool: keys.pool, hostility },
      otherMethods: hostility > 0,
    }).map((request) => [name, request] as const),
  );

describe("dialect routes under hostile input", () => {
  it(
    "answer below 500, in their own envelope, and accept only a live issued key",
    async () => {
      const key = someKey(keys);
      await fc.assert(
        fc.asyncProperty(fc.oneof(cases(key, 0), cases(key, 0.1)), async ([name, request]) => {
          expectSound(api, dialects.get(name), request, await send(request));
        }),
        fuzzParameters,
      );
    },
    fuzzTimeout,
  );

  it(
    "refuse a key that was never issued, or no longer works",
    async () => {
      const key = fc.oneof(strangerKey, fc.constantFrom(...keys.nearMisses, ...keys.dead));
      await fc.assert(
        fc.asyncProperty(
          cases(
            key,
            0,
            key.map((k) => `Bearer ${k}`),
          ),
          async ([name, request]) => {
            const reply = await send(request);
            expectSound(api, dialects.get(name), request, reply);
            expect(reply.status >= 400 || reply.json?.valid === false, `${reply.status} ${reply.text}`).toBe(true);
          },
        ),
        fuzzParameters,
      );
    },
    fuzzTimeout,
  );
});
