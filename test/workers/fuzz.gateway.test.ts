import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  anyMethod,
  authorization,
  clientAddress,
  encodedBody,
  headerValue,
  hostileText,
  hostileValue,
  percentEncode,
  rawQueryNoise,
  strangerKey,
} from "../helpers/arbitraries";
import {
  type Api,
  expectSound,
  type FuzzKeys,
  FuzzRequest,
  fuzzParameters,
  fuzzTimeout,
  issueKeys,
  loadApi,
  type Operation,
  type Reply,
  send,
  someKey,
} from "../helpers/fuzz";
import { PROXY_SECRET } from "../helpers/gateway";

/**
 * The gateway is not in /openapi.json (any method, any path suffix), so its contract is written
 * here, from examples/README.md: a refusal is `{code, message, requestId}` with the same code in
 * X-Key-Code, and an allow is a 200 with X-Key-Code VALID.
 */
const GATEWAY_ERROR = "GatewayError";
const gateway: Operation = {
  name: "* /v1/gateway/{apiId}/*",
  method: "*",
  path: "/v1/gateway/{apiId}",
  kind: "key",
  parameters: [],
  errorEnvelopes: [GATEWAY_ERROR],
  responses: Object.fromEntries([200, 400, 401, 403, 413, 429].map((status) => [status, {}])),
};

let api: Api;
let keys: FuzzKeys;

beforeAll(async () => {
  api = await loadApi();
  api.schemas[GATEWAY_ERROR] = {
    type: "object",
    required: ["code", "message", "requestId"],
    properties: { code: { type: "string" }, message: { type: "string" }, requestId: { type: "string" } },
  };
  keys = await issueKeys();
});

/** A gateway check as a proxy (or someone talking to Keygate directly) might send it. */
function checks(key: fc.Arbitrary<string>, hostile: boolean): fc.Arbitrary<FuzzRequest> {
  // Not "." or "..": URL parsing resolves those, and the check could leave the gateway's path.
  const notDots = (segment: string) => !/^(\.|%2e){1,2}$/i.test(segment);
  const segment = fc.oneof(fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/), hostileText.map(percentEncode), rawQueryNoise).filter(notDots);
  const name = hostile
    ? fc.oneof(fc.constantFrom("read", "write", "admin", "test", "", "x".repeat(257)), hostileText)
    : fc.constantFrom("read", "write", "admin", "test");
  const keyHeader = fc.constantFrom("x-api-key", "authorization", "x-custom-key", ...(hostile ? ["", "a b", "x".repeat(65)] : []));
  // Each option narrows what passes; left out mostly, so that live keys often pass.
  const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
  const query = fc
    .tuple(
      rarely(keyHeader.map((h) => `header=${percentEncode(h)}`)),
      fc.oneof(
        fc.constant([]),
        fc.array(
          name.map((p) => `permission=${percentEncode(p)}`),
          { minLength: 1, maxLength: hostile ? 22 : 3 },
        ),
      ),
      rarely(name.map((e) => `environment=${percentEncode(e)}`)),
      fc.array(rawQueryNoise, { maxLength: hostile ? 2 : 0 }),
    )
    .map(([header, permissions, environment, noise]) => [header, ...permissions, environment, ...noise].filter((part) => part !== undefined).join("&"));
  const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const headers = fc.record({
    "x-api-key": optional(key),
    authorization: optional(authorization(key)),
    "x-custom-key": optional(key),
    "x-forwarded-method": optional(fc.oneof(anyMethod, headerValue)),
    "x-original-method": optional(anyMethod),
    "x-real-ip": optional(clientAddress),
    "x-forwarded-for": optional(clientAddress),
    "cf-connecting-ip": optional(clientAddress),
    // The addresses count only next to the right secret; a wrong one counts as none.
    "x-keygate-proxy-secret": optional(fc.constantFrom(PROXY_SECRET, "wrong")),
    // nginx's subrequests carry X-Original-URI, the others X-Forwarded-Uri.
    "x-original-uri": optional(fc.constantFrom("/", "/admin/x")),
    "x-forwarded-uri": optional(fc.constantFrom("/", "/admin/x")),
  });
  return fc
    .record({
      method: anyMethod,
      apiId: fc.oneof(
        { weight: 3, arbitrary: fc.constant(keys.apiId) },
        { weight: 1, arbitrary: fc.constantFrom(...keys.pool.apiId!, "api_unknown") },
        { weight: hostile ? 1 : 0, arbitrary: hostileText.map(percentEncode).filter((id) => id !== "" && notDots(id)) },
      ),
      suffix: fc.array(segment, { maxLength: 3 }),
      query,
      headers,
      body: hostile ? optional(encodedBody(hostileValue)) : fc.constant(undefined),
    })
    .map(({ method, apiId, suffix, query, headers, body }) => {
      const path = [`/v1/gateway/${apiId}`, ...suffix].join("/");
      const sent = Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined);
      const carriesBody = method !== "GET" && method !== "HEAD" && body !== undefined;
      return new FuzzRequest(method, query ? `${path}?${query}` : path, sent, carriesBody ? body : undefined);
    });
}

const behindNginx = (request: FuzzRequest) => {
  const names = request.headers.map(([name]) => name);
  return names.includes("x-original-uri") && !names.includes("x-forwarded-uri");
};

/** What the gateway adds to the general contract: X-Key-Code on every answer, and nginx's status limits. */
function expectGatewaySound(request: FuzzRequest, reply: Reply) {
  expectSound(api, gateway, request, reply);
  const code = reply.headers.get("X-Key-Code");
  if (reply.status === 200) expect(code).toBe("VALID");
  else if (request.method !== "HEAD") expect(code, reply.text).toBe(reply.json.code);
  // nginx's auth subrequests carry no body.
  if (behindNginx(request) && request.body === undefined) expect([200, 401, 403]).toContain(reply.status);
}

describe("the gateway under hostile input", () => {
  it(
    "answers below 500, with X-Key-Code, and allows only a live issued key",
    async () => {
      const key = someKey(keys);
      await fc.assert(
        fc.asyncProperty(fc.oneof(checks(key, false), checks(key, true)), async (request) => {
          expectGatewaySound(request, await send(request));
        }),
        fuzzParameters,
      );
    },
    fuzzTimeout,
  );

  it(
    "refuses a key that was never issued, or no longer works",
    async () => {
      const key = fc.oneof(strangerKey, fc.constantFrom(...keys.nearMisses, ...keys.dead));
      await fc.assert(
        fc.asyncProperty(checks(key, false), async (request) => {
          const reply = await send(request);
          expectGatewaySound(request, reply);
          expect(reply.status, reply.text).toBeGreaterThanOrEqual(400);
        }),
        fuzzParameters,
      );
    },
    fuzzTimeout,
  );
});
