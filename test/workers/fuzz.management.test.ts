import fc from "fast-check";
import { beforeAll, describe, it } from "vitest";
import { authorization, strangerKey } from "../helpers/arbitraries";
import {
  type Api,
  expectSound,
  expectUnauthorized,
  fuzzParameters,
  fuzzTimeout,
  loadApi,
  type Operation,
  type RequestParts,
  requestFor,
  send,
} from "../helpers/fuzz";
import { apiWithKey, post, ROOT_KEY } from "../helpers/harness";
import { rootKeyWith, uniqueName } from "../helpers/rootKeys";

let api: Api;
let management: Map<string, Operation>;
/** Real resources by the field that takes them, so that generated requests also reach past "not found". */
let pool: Record<string, string[]>;
/** The same again, for the routes that delete: once one succeeds, the others still find what they need. */
let victims: Record<string, string[]>;
let readOnlyRootKey: string;

const destroys = (name: string) => /\.(delete|revoke)/.test(name);

async function resources(): Promise<Record<string, string[]>> {
  const externalId = uniqueName("fuzz-owner");
  const permission = uniqueName("fuzz.permission");
  const role = uniqueName("fuzz-role");
  const { apiId, keyId, key } = await apiWithKey({
    externalId,
    permissions: [permission],
    roles: [role],
    ratelimits: [{ name: "read", limit: 5, duration: 60_000 }],
  });
  const { permissionId } = (await post("/v1/permissions.createPermission", { name: uniqueName("fuzz.other") })).body;
  const { roleId } = (await post("/v1/permissions.createRole", { name: uniqueName("fuzz-other") })).body;
  const { identityId } = (await post("/v1/identities.createIdentity", { externalId: uniqueName("fuzz-identity") })).body;
  const { keyId: rootKeyId } = (await post("/v1/rootKeys.createRootKey", { name: uniqueName("fuzz-root"), permissions: ["api.*.read_api"] })).body;
  const namespaceName = uniqueName("fuzz-namespace");
  const identifier = uniqueName("fuzz-user");
  await post("/v1/ratelimits.setOverride", { namespaceName, identifier, limit: 5, duration: 60_000 });
  return {
    apiId: [apiId],
    keyId: [keyId, rootKeyId],
    key: [key],
    externalId: [externalId],
    ownerId: [externalId],
    identityId: [identityId],
    permissionId: [permissionId],
    roleId: [roleId],
    permissions: [permission],
    roles: [role],
    name: [permission, role, "read"],
    namespace: [namespaceName],
    namespaceName: [namespaceName],
    identifier: [identifier],
  };
}

beforeAll(async () => {
  api = await loadApi();
  management = new Map(api.operations.filter((op) => op.kind === "management").map((op) => [op.name, op]));
  pool = await resources();
  victims = await resources();
  readOnlyRootKey = await rootKeyWith(["api.*.read_api", "api.*.read_key"]);
});

/** Cases as [route name, request], so that a counterexample prints short. */
const cases = (parts: Omit<RequestParts, "shape">, hostility: number) =>
  fc.constantFrom(...management.keys()).chain((name) => {
    const shape = { pool: destroys(name) ? victims : pool, hostility };
    return requestFor(api, management.get(name)!, { ...parts, shape }).map((request) => [name, request] as const);
  });

describe("management routes under hostile input", () => {
  it(
    "answer every request below 500, in the Unkey envelope, whatever the root key",
    async () => {
      const rootKey = fc.oneof(
        { weight: 6, arbitrary: fc.constant(`Bearer ${ROOT_KEY}`) },
        { weight: 1, arbitrary: fc.constant(`Bearer ${readOnlyRootKey}`) },
        { weight: 1, arbitrary: fc.option(authorization(strangerKey), { nil: undefined }) },
      );
      const wellFormed = cases({ authorization: rootKey }, 0);
      const hostile = cases({ authorization: rootKey, otherMethods: true }, 0.1);
      await fc.assert(
        fc.asyncProperty(fc.oneof(wellFormed, hostile), async ([name, request]) => {
          expectSound(api, management.get(name), request, await send(request));
        }),
        fuzzParameters,
      );
    },
    fuzzTimeout,
  );

  it(
    "refuse a missing, malformed or unknown root key with 401 before reading the request",
    async () => {
      const notARootKey = fc.option(authorization(strangerKey.filter((key) => key !== ROOT_KEY)), { nil: undefined });
      await fc.assert(
        fc.asyncProperty(cases({ authorization: notARootKey }, 0.3), async ([, request]) => {
          expectUnauthorized(request, await send(request));
        }),
        fuzzParameters,
      );
    },
    fuzzTimeout,
  );
});
