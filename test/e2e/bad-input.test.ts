import { describe, expect, it } from "vitest";
import { type DevServer, useDevServer } from "./helpers/devServer";

interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

/** A plain HTTP call; every answer, error or not, must carry a request id. */
async function send(
  server: DevServer,
  path: string,
  init: { method?: "GET" | "POST"; body?: string; contentType?: string; rootKey?: string | null } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers["content-type"] = init.contentType ?? "application/json";
  const rootKey = init.rootKey === undefined ? server.rootKey : init.rootKey;
  if (rootKey !== null) headers.authorization = `Bearer ${rootKey}`;
  const res = await fetch(`${server.baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body,
  });
  const requestId = res.headers.get("Unkey-Request-Id");
  expect(requestId, `the ${res.status} answer to ${path} has no request id`).toEqual(expect.stringMatching(/^req_/));
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

function expectError(reply: Reply, status: number, code: string) {
  expect(reply.status).toBe(status);
  expect(reply.body.error).toMatchObject({ code, message: expect.any(String), requestId: expect.stringMatching(/^req_/) });
}

const json = (value: unknown) => JSON.stringify(value);

describe("bad input against wrangler dev", () => {
  const server = useDevServer();

  it.each([
    { what: "malformed JSON", path: "/v1/apis.createApi", body: '{"name":' },
    { what: "JSON that is not an object", path: "/v1/keys.verifyKey", body: "[]" },
    { what: "a number where a string belongs", path: "/v1/apis.createApi", body: json({ name: 5 }) },
    { what: "a string where a number belongs", path: "/v1/keys.createKey", body: json({ apiId: "api_x", remaining: "ten" }) },
    { what: "an empty key", path: "/v1/keys.verifyKey", body: json({ key: "" }) },
    { what: "a 100 kB key", path: "/v1/keys.verifyKey", body: json({ key: "k".repeat(100_000) }) },
    { what: "a raw NUL byte inside a JSON string", path: "/v1/apis.createApi", body: '{"name":"a\u0000b"}' },
    {
      what: "an unknown field in a nested object",
      path: "/v1/keys.createKey",
      body: json({ apiId: "api_x", ratelimit: { limit: 1, duration: 60_000, burst: 5 } }),
    },
    {
      what: "an unknown field in a permission query",
      path: "/v1/keys.verifyKey",
      body: json({ key: "x", authorization: { permissions: { and: ["a"], not: ["b"] } } }),
    },
    { what: "a JSON body labelled text/plain", path: "/v1/apis.createApi", body: json({ name: "x" }), contentType: "text/plain" },
  ])("answers 400 BAD_REQUEST for $what", async ({ path, body, contentType }) => {
    expectError(await send(server(), path, { body, contentType }), 400, "BAD_REQUEST");
  });

  it("answers 413 PAYLOAD_TOO_LARGE for a 2 MB body", async () => {
    const body = json({ name: "n".repeat(2 * 1024 * 1024) });
    expectError(await send(server(), "/v1/apis.createApi", { body }), 413, "PAYLOAD_TOO_LARGE");
  });

  it("refuses a key with NUL bytes, which no issued key contains", async () => {
    const reply = await send(server(), "/v1/keys.verifyKey", { body: json({ key: "sk_\u0000\u0000abc" }), rootKey: null });
    expectError(reply, 400, "BAD_REQUEST");
    expect(reply.body.error.message).toContain("key");
  });

  it("refuses a name with a NUL byte, and keeps any other Unicode intact", async () => {
    const refused = await send(server(), "/v1/apis.createApi", { body: json({ name: "before\u0000after" }) });
    expectError(refused, 400, "BAD_REQUEST");
    expect(refused.body.error.message).toBe("name: must not contain control characters");
    const created = await send(server(), "/v1/apis.createApi", { body: json({ name: "before 🔑 après" }) });
    expect(created.status).toBe(200);
    const fetched = await send(server(), `/v1/apis.getApi?apiId=${created.body.apiId}`);
    expect(fetched.body.name).toBe("before 🔑 après");
  });

  // Meta travels with every verify result out of the key's Durable Object: depth must not strand a key.
  it("refuses deeply nested meta up front, and verifies a key with meta at the depth limit", async () => {
    const api = await send(server(), "/v1/apis.createApi", { body: json({ name: "deep-meta" }) });
    const nestedMeta = (depth: number) => `{"a":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;
    const tooDeep = await send(server(), "/v1/keys.createKey", { body: `{"apiId":"${api.body.apiId}","meta":${nestedMeta(10_000)}}` });
    expectError(tooDeep, 400, "BAD_REQUEST");
    expect(tooDeep.body.error.message).toContain("meta");
    const atLimit = await send(server(), "/v1/keys.createKey", { body: `{"apiId":"${api.body.apiId}","meta":${nestedMeta(32)}}` });
    expect(atLimit.status).toBe(200);
    const verified = await send(server(), "/v1/keys.verifyKey", { body: json({ key: atLimit.body.key }), rootKey: null });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ valid: true });
  });

  it("answers 404 for an unknown route and 405 with Allow for a known path with the wrong method", async () => {
    expectError(await send(server(), "/v1/keys.doesNotExist"), 404, "NOT_FOUND");
    const wrongMethod = await send(server(), "/v1/apis.createApi", { method: "GET" });
    expectError(wrongMethod, 405, "METHOD_NOT_ALLOWED");
    expect(wrongMethod.headers.get("Allow")).toBe("POST");
  });
});
