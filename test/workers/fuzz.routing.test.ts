import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { anyMethod, encodedBody, extraHeaders, hostileText, hostileValue, percentEncode, rawQueryNoise } from "../helpers/arbitraries";
import { type Api, expectSound, FuzzRequest, fuzzParameters, fuzzTimeout, loadApi, send } from "../helpers/fuzz";
import { ROOT_KEY } from "../helpers/harness";

let api: Api;

beforeAll(async () => {
  api = await loadApi();
});

/** The path the router sees: parsed as a URL (dot segments resolved), then percent-decoded as Hono does. */
function routedPath(target: string): string {
  const path = new URL(`http://keygate.test${target}`).pathname;
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

describe("paths and methods that no route takes", () => {
  it(
    "answer 405 with Allow for another method on a route's path, else 404, never 5xx",
    async () => {
      const paths = [...new Set(api.operations.map((op) => op.path))];
      const mangle = fc.constantFrom<(path: string) => string>(
        (path) => `${path}/`,
        (path) => `${path}/extra`,
        (path) => path.toUpperCase(),
        (path) => `/${path}`,
        (path) => `${path}%00`,
        (path) => `${path};x`,
        (path) => path.replace("/v1/", "/v2/"),
        (path) => path.replace("/v1/", "/v1//"),
      );
      const segments = fc.array(fc.oneof(hostileText.map(percentEncode), rawQueryNoise), { minLength: 1, maxLength: 4 });
      const target = fc.oneof(
        fc.constantFrom(...paths),
        fc.tuple(fc.constantFrom(...paths), mangle).map(([path, change]) => change(path)),
        segments.map((parts) => `/v1/${parts.join("/")}`),
        segments.map((parts) => `/${parts.join("/")}`),
      );
      const requests = fc
        .record({
          method: anyMethod,
          target,
          query: fc.array(rawQueryNoise, { maxLength: 2 }),
          rootKey: fc.boolean(),
          headers: extraHeaders,
          body: fc.option(encodedBody(hostileValue), { nil: undefined }),
        })
        .map(({ method, target, query, rootKey, headers, body }) => {
          const sent: [string, string][] = rootKey ? [...headers, ["authorization", `Bearer ${ROOT_KEY}`]] : headers;
          const carriesBody = method !== "GET" && method !== "HEAD" && body !== undefined;
          return new FuzzRequest(method, query.length ? `${target}?${query.join("&")}` : target, sent, carriesBody ? body : undefined);
        })
        // Only what no documented route takes: a HEAD is a GET without the body.
        .filter((request) => {
          const path = routedPath(request.target);
          const method = request.method === "HEAD" ? "GET" : request.method;
          return !path.startsWith("/v1/gateway/") && !api.operations.some((op) => op.path === path && op.method === method);
        });

      await fc.assert(
        fc.asyncProperty(requests, async (request) => {
          const reply = await send(request);
          expectSound(api, undefined, request, reply);
          if (reply.status === 413) return;
          const allowed = api.operations.filter((op) => op.path === routedPath(request.target)).map((op) => op.method);
          expect(reply.status, reply.text).toBe(allowed.length > 0 ? 405 : 404);
          if (allowed.length > 0) expect(reply.headers.get("Allow")?.split(", ").sort()).toEqual([...new Set(allowed)].sort());
        }),
        fuzzParameters,
      );
    },
    fuzzTimeout,
  );
});
