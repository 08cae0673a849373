import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { authorization, strangerKey } from "../helpers/arbitraries";
import {
  type Api,
  expectSound,
  type FuzzKeys,
  FuzzRequest,
  fuzzParameters,
  fuzzTimeout,
  issueKeys,
  loadApi,
  mismatch,
  type Operation,
  requestFor,
  send,
} from "../helpers/fuzz";

let api: Api;
let verify: Operation;
let keys: FuzzKeys;

beforeAll(async () => {
  api = await loadApi();
  verify = api.operations.find((op) => op.name === "POST /v1/keys.verifyKey")!;
  keys = await issueKeys();
});

describe("keys.verifyKey under hostile input", () => {
  it(
    "answers below 500, and `valid: true` only for a live issued key",
    async () => {
      // The route reads no Authorization header; send one anyway.
      const parts = { authorization: fc.option(authorization(strangerKey), { nil: undefined }) };
      const wellFormed = requestFor(api, verify, { ...parts, shape: { pool: keys.pool, hostility: 0 } });
      const hostile = requestFor(api, verify, { ...parts, shape: { pool: keys.pool, hostility: 0.1 }, otherMethods: true });
      await fc.assert(
        fc.asyncProperty(fc.oneof(wellFormed, hostile), async (request) => {
          expectSound(api, verify, request, await send(request));
        }),
        fuzzParameters,
      );
    },
    fuzzTimeout,
  );

  it(
    "answers 200 NOT_FOUND for a well-formed request with a key that was never issued",
    async () => {
      const keySchema = api.resolve(verify.body!).properties.key;
      const neverIssued = fc.oneof(strangerKey, fc.constantFrom(...keys.nearMisses)).filter((key) => !mismatch(api, key, keySchema));
      const body = fc.record({ key: neverIssued, apiId: fc.constantFrom(...keys.pool.apiId!) }, { requiredKeys: ["key"] });
      await fc.assert(
        fc.asyncProperty(body, async (body) => {
          const request = new FuzzRequest("POST", verify.path, [["content-type", "application/json"]], JSON.stringify(body));
          const reply = await send(request);
          expect(reply.status, reply.text).toBe(200);
          expect(reply.json).toMatchObject({ valid: false, code: "NOT_FOUND" });
        }),
        fuzzParameters,
      );
    },
    fuzzTimeout,
  );
});
