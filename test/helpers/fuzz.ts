import { env } from "cloudflare:test";
import fc from "fast-check";
import { MAX_BODY_BYTES } from "../../src/surfaces/surface";
import {
  anyMethod,
  asText,
  contentType,
  encodedBody,
  extraHeaders,
  nearMisses,
  percentEncode,
  rawQueryNoise,
  type Schema,
  type Shape,
  strangerKey,
  valueFor,
} from "./arbitraries";
import { createApi, createKey, dispatch, post } from "./harness";
import { uniqueName } from "./rootKeys";

/**
 * Property-based hostile input against every route the app documents in /openapi.json (and the
 * gateway, which is not in it). FUZZ_RUNS (runs per property) and FUZZ_SEED come from
 * vitest.config.ts. A long local run:
 *
 *   FUZZ_RUNS=10000 npx vitest run --config vitest.config.ts test/workers/fuzz
 *
 * A failure prints its seed; `FUZZ_SEED=<seed>` with the same FUZZ_RUNS replays it.
 */
export const fuzzRuns = Number(env.FUZZ_RUNS);
export const fuzzParameters: fc.Parameters<unknown> = { numRuns: fuzzRuns, seed: Number(env.FUZZ_SEED) };
/** Generous per-property timeout: a few ms per request, plus shrinking when a property fails. */
export const fuzzTimeout = 30_000 + fuzzRuns * 50;

/** Routes that answer anyone. */
const OPEN = new Set(["GET /v1/liveness", "GET /v2/liveness"]);
/**
 * Unkey-envelope routes that take an API key from the request instead of a root key. Routes
 * with an envelope of their own (the dialects, the gateway) always do.
 */
const KEY_AUTHENTICATED = new Set(["POST /v1/keys.verifyKey"]);
/** The Unkey v1 error envelope's component name. */
export const UNKEY_ENVELOPE = "Error";
/** Unkey v2's error envelopes: a 400 lists the invalid fields, other errors do not. */
const UNKEY_V2_ENVELOPES = ["V2Error", "V2BadRequestError"];

export type Kind = "open" | "key" | "management";

export interface Operation {
  /** "POST /v1/keys.verifyKey" */
  name: string;
  /** Upper case; "*" for a route that takes any method. */
  method: string;
  /** The OpenAPI path, with {parameters}. */
  path: string;
  kind: Kind;
  parameters: { name: string; in: string; required: boolean; schema: Schema }[];
  body?: Schema;
  /** The components its 4xx bodies use. */
  errorEnvelopes: string[];
  responses: Record<string, { content?: { "application/json"?: { schema: Schema } } }>;
}

export interface Api {
  operations: Operation[];
  /** Every documented error envelope: a wrong method or an unknown path may answer in any of them. */
  envelopes: Set<string>;
  /** The document's components.schemas, by name. */
  schemas: Record<string, Schema>;
  resolve(schema: Schema): Schema;
}

export async function loadApi(): Promise<Api> {
  const doc: any = (await send(new FuzzRequest("GET", "/openapi.json", []))).json;
  const schemas: Record<string, Schema> = doc.components.schemas;
  const resolve = (schema: Schema): Schema => (schema.$ref ? resolve(schemas[schema.$ref.replace("#/components/schemas/", "")]!) : schema);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const name = `${method.toUpperCase()} ${path}`;
      const errorEnvelopes = [
        ...new Set(
          Object.entries<any>(op.responses)
            .filter(([status]) => status.startsWith("4"))
            .map(([, response]) => response.content?.["application/json"]?.schema?.$ref as string | undefined)
            .filter((ref): ref is string => ref !== undefined)
            .map((ref) => ref.replace("#/components/schemas/", "")),
        ),
      ];
      if (errorEnvelopes.length === 0) throw new Error(`${name} documents no error body`);
      const unkeyEnvelope = errorEnvelopes.some((envelope) => envelope === UNKEY_ENVELOPE || UNKEY_V2_ENVELOPES.includes(envelope));
      const kind: Kind = OPEN.has(name) ? "open" : KEY_AUTHENTICATED.has(name) || !unkeyEnvelope ? "key" : "management";
      operations.push({
        name,
        method: method.toUpperCase(),
        path,
        kind,
        parameters: op.parameters ?? [],
        body: op.requestBody?.content?.["application/json"]?.schema,
        errorEnvelopes,
        responses: op.responses,
      });
    }
  }
  return { operations, envelopes: new Set(operations.flatMap((op) => op.errorEnvelopes)), schemas, resolve };
}

export class FuzzRequest {
  constructor(
    readonly method: string,
    /** Path and raw query string. */
    readonly target: string,
    readonly headers: [string, string][],
    readonly body?: string | Uint8Array,
  ) {}

  bodyText(): string {
    return typeof this.body === "string" ? this.body : new TextDecoder().decode(this.body ?? new Uint8Array());
  }

  bodyBytes(): number {
    return typeof this.body === "string" ? new TextEncoder().encode(this.body).length : (this.body?.length ?? 0);
  }

  /** fast-check prints counterexamples with this; huge strings are cut so the report stays readable. */
  [fc.toStringMethod]() {
    const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…(${s.length} chars)` : s);
    return JSON.stringify({
      method: this.method,
      target: cut(this.target),
      headers: this.headers.map(([k, v]) => [k, cut(v)]),
      body: this.body instanceof Uint8Array ? `bytes ${cut(Array.from(this.body, (b) => b.toString(16)).join(" "))}` : this.body && cut(this.body),
    });
  }
}

export interface RequestParts {
  /** Authorization header values (undefined: none), for routes that take one. */
  authorization: fc.Arbitrary<string | undefined>;
  /** Values for a header parameter the route documents, by name; others get generated values. */
  headerParameter?: (name: string) => fc.Arbitrary<string> | undefined;
  shape: Shape;
  /** Sends another method now and then. */
  otherMethods?: boolean;
}

/** A hostile request for one operation: parameters, body, content type and headers all generated. */
export function requestFor(api: Api, op: Operation, parts: RequestParts): fc.Arbitrary<FuzzRequest> {
  // Well-formed requests go out as a client would send them, so that they reach the handler.
  const wellFormed = parts.shape.hostility === 0;
  const param = (p: Operation["parameters"][number]) => {
    const generated = valueFor(p.schema, parts.shape, api.resolve, p.name)
      // Parameters travel as text, which has no null.
      .filter((v) => !wellFormed || v !== null)
      .map(asText);
    const value = (p.in === "header" && parts.headerParameter?.(p.name)) || generated;
    return p.required ? value : fc.option(value, { nil: undefined, freq: 3 });
  };
  const byKind = (where: string) => op.parameters.filter((p) => p.in === where);
  const pathValues = fc.tuple(...byKind("path").map(param));
  const queryValues = fc.tuple(...byKind("query").map(param));
  const headerValues = fc.tuple(
    ...byKind("header")
      .filter((p) => p.name !== "authorization")
      .map(param),
  );
  const strayQuery = fc.array(
    fc.oneof(
      fc.tuple(fc.string(), fc.string()).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`),
      rawQueryNoise,
    ),
    { maxLength: 3 },
  );
  const body = op.body ? valueFor(op.body, parts.shape, api.resolve) : fc.jsonValue({ maxDepth: 2 });
  const method = parts.otherMethods ? fc.oneof({ weight: 9, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: anyMethod }) : fc.constant(op.method);
  const encoded: fc.Arbitrary<string | Uint8Array | undefined> = wellFormed
    ? op.body
      ? body.map((v) => JSON.stringify(v))
      : fc.constant(undefined)
    : fc.option(encodedBody(body), { nil: undefined, freq: op.body ? 20 : 2 });

  return fc
    .record({
      method,
      pathValues,
      queryValues,
      headerValues,
      strayQuery,
      authorization: parts.authorization,
      contentType: wellFormed ? fc.constant("application/json") : fc.option(contentType, { nil: undefined, freq: 10 }),
      extraHeaders,
      body: encoded,
    })
    .map((r) => {
      let path = op.path;
      for (const [i, p] of byKind("path").entries()) path = path.replace(`{${p.name}}`, percentEncode(r.pathValues[i] ?? ""));
      const query = byKind("query").flatMap((p, i) => {
        const value = r.queryValues[i];
        return value === undefined ? [] : [`${p.name}=${percentEncode(value)}`];
      });
      const search = [...query, ...r.strayQuery].join("&");
      const headers: [string, string][] = [...r.extraHeaders];
      for (const [i, p] of byKind("header")
        .filter((p) => p.name !== "authorization")
        .entries()) {
        if (r.headerValues[i] !== undefined) headers.push([p.name, r.headerValues[i]!]);
      }
      if (r.authorization !== undefined) headers.push(["authorization", r.authorization]);
      const carriesBody = r.method !== "GET" && r.method !== "HEAD" && r.body !== undefined;
      if (carriesBody && r.contentType !== undefined) headers.push(["content-type", r.contentType]);
      return new FuzzRequest(r.method, search ? `${path}?${search}` : path, headers, carriesBody ? r.body : undefined);
    });
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The body as JSON; undefined when empty or not JSON. */
  json: any;
}

/** Hands the request to the Worker's fetch handler (see dispatch). */
export async function send(request: FuzzRequest): Promise<Reply> {
  const init = { method: request.method, headers: request.headers, body: request.body };
  const req = new Request(`http://keygate.test${request.target}`, init);
  let res: Response;
  try {
    res = await dispatch(req);
  } catch (err) {
    throw new Error(`the Worker threw instead of answering: ${err instanceof Error ? err.stack : String(err)}`);
  }
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Plaintext keys that were issued and still work; only a request carrying one may be told "valid". */
const issuedKeys = new Set<string>();

export interface FuzzKeys {
  /** The api every key belongs to. */
  apiId: string;
  /** Issued and working: plain, metered, address-bound, with permissions, with named limits. */
  live: string[];
  /** Issued, then disabled, revoked or deleted: never valid again. */
  dead: string[];
  /** Never issued, each one step from a live key. */
  nearMisses: string[];
  /** What the keys belong to, by request field; the keys that must not work are offered to every field. */
  pool: Record<string, string[]>;
}

/** Mostly live keys, so that checks get past "not found"; sometimes one that must not work. */
export const someKey = (keys: FuzzKeys) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...keys.live) },
    { weight: 1, arbitrary: fc.constantFrom(...keys.dead, ...keys.nearMisses) },
    { weight: 1, arbitrary: strangerKey },
  );

export async function issueKeys(): Promise<FuzzKeys> {
  const apiId = await createApi(uniqueName("fuzz"));
  const otherApiId = await createApi(uniqueName("fuzz-other"));
  const create = async (extra: Record<string, unknown> = {}) => (await createKey(apiId, extra)).key;
  const live = [
    await create(),
    await create({ remaining: 3, ratelimit: { limit: 3, duration: 60_000 } }),
    await create({ ipAllowlist: ["203.0.113.0/24", "2001:db8::/32"] }),
    await create({ prefix: "sk_fuzz", permissions: ["read", "write"], roles: ["admin"], environment: "test", externalId: uniqueName("fuzz-owner") }),
    await create({ ratelimits: [{ name: "read", limit: 5, duration: 1000 }], expires: Date.now() + 3_600_000 }),
  ];
  for (const key of live) issuedKeys.add(key);
  const disabled = await createKey(apiId, { enabled: false });
  const revoked = await createKey(apiId);
  const deleted = await createKey(apiId);
  await post("/v1/keys.revokeKey", { keyId: revoked.keyId });
  await post("/v1/keys.deleteKey", { keyId: deleted.keyId });
  const dead = [disabled.key, revoked.key, deleted.key];
  const misses = live.flatMap(nearMisses);
  return {
    apiId,
    live,
    dead,
    nearMisses: misses,
    pool: { key: live, apiId: [apiId, otherApiId], environment: ["test"], name: ["read"], notKeys: [...dead, ...misses] },
  };
}

function carriesIssuedKey(request: FuzzRequest): boolean {
  const texts = [request.target, request.bodyText(), ...request.headers.map(([, v]) => v)];
  return [...issuedKeys].some((key) => texts.some((text) => text.includes(key)));
}

/** The first place a value departs from a JSON Schema, or undefined when it conforms. */
export function mismatch(api: Api, value: unknown, schema: Schema, at = "body"): string | undefined {
  const s = api.resolve(schema);
  if (s.anyOf) return s.anyOf.some((alt: Schema) => !mismatch(api, value, alt, at)) ? undefined : `${at} matches no alternative`;
  if (s.enum && !s.enum.includes(value)) return `${at} is ${JSON.stringify(value)}, not one of ${s.enum.join(", ")}`;
  const types: string[] = s.type === undefined ? [] : [s.type].flat();
  const isA = (type: string) =>
    ({
      string: typeof value === "string",
      number: typeof value === "number",
      integer: Number.isInteger(value),
      boolean: typeof value === "boolean",
      null: value === null,
      array: Array.isArray(value),
      object: typeof value === "object" && value !== null && !Array.isArray(value),
    })[type];
  if (types.length && !types.some(isA)) return `${at} is ${JSON.stringify(value)?.slice(0, 80)}, not ${types.join(" or ")}`;
  if (typeof value === "string") {
    if (value.length < (s.minLength ?? 0) || value.length > (s.maxLength ?? Infinity)) return `${at} has length ${value.length}`;
    if (s.pattern && !new RegExp(s.pattern).test(value)) return `${at} does not match ${s.pattern}`;
  }
  if (Array.isArray(value) && s.items) {
    for (const [i, item] of value.entries()) {
      const found = mismatch(api, item, s.items, `${at}[${i}]`);
      if (found) return found;
    }
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const key of s.required ?? []) if (!(key in value)) return `${at}.${key} is missing`;
    for (const [key, child] of Object.entries<Schema>(s.properties ?? {})) {
      if (!(key in value)) continue;
      const found = mismatch(api, (value as Record<string, unknown>)[key], child, `${at}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/** The machine-readable code of an error body, in whichever envelope it came (v2's is its `type`). */
const errorCode = (body: any): unknown => body?.error?.code ?? body?.code ?? body?.error?.type;

/**
 * What must hold for any request, however hostile: an answer below 500 with a request id; an
 * error in a documented envelope with a code; a documented status for the documented method;
 * and nothing that passes for a key unless the request carried one that was issued.
 */
export function expectSound(api: Api, op: Operation | undefined, request: FuzzRequest, reply: Reply): void {
  const fail = (why: string) => {
    throw new Error(`${why}\n  ${reply.status} ${reply.text.slice(0, 500)}`);
  };
  if (reply.status >= 500) fail("a 5xx answer");
  if (!reply.headers.get("Unkey-Request-Id")?.startsWith("req_")) fail("no Unkey-Request-Id header");
  const documented = op !== undefined && (op.method === "*" || request.method === op.method);
  if (documented && !(String(reply.status) in op.responses)) fail(`status ${reply.status} is not documented for ${op.name}`);
  if (request.method === "HEAD") return;

  if (reply.status >= 400) {
    if (reply.json === undefined) fail("an error without a JSON body");
    const code = errorCode(reply.json);
    if (typeof code !== "string" || code === "") fail("an error without a machine-readable code");
    const envelopes = !documented ? [...api.envelopes] : op.errorEnvelopes;
    const mismatches = envelopes.map((envelope) => mismatch(api, reply.json, { $ref: `#/components/schemas/${envelope}` }));
    if (!mismatches.includes(undefined)) fail(`the error body is not in the ${envelopes.join(" or ")} envelope: ${mismatches.join("; ")}`);
    return;
  }

  if (!op || !documented) return;
  const schema = op.responses[String(reply.status)]?.content?.["application/json"]?.schema;
  const departs = schema && mismatch(api, reply.json, schema);
  if (departs) fail(`the ${reply.status} body departs from its documented schema: ${departs}`);
  if (op.kind === "key" && reply.json?.valid !== false && !carriesIssuedKey(request)) {
    fail(`${op.name} accepted a request that carried no issued key`);
  }
}

/** A 401's code: v1's, or v2's `type`. */
const UNAUTHORIZED_CODES = ["UNAUTHORIZED", "docs/errors.md#unauthorized"];

/** A management request is refused before anything else when its root key is not one. */
export function expectUnauthorized(request: FuzzRequest, reply: Reply): void {
  // The body limit is enforced for every route before authentication.
  if (reply.status === 413 && request.bodyBytes() > MAX_BODY_BYTES) return;
  if (reply.status !== 401 || !UNAUTHORIZED_CODES.includes(errorCode(reply.json) as string)) {
    throw new Error(
      `expected 401 UNAUTHORIZED, got ${reply.status} ${reply.text.slice(0, 300)}\n` +
        "  (a route that takes no root key belongs in OPEN or KEY_AUTHENTICATED in test/helpers/fuzz.ts)",
    );
  }
}
