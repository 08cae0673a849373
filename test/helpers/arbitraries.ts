import fc from "fast-check";

/** A JSON Schema node as the OpenAPI document renders zod schemas. */
export type Schema = { [keyword: string]: any };

const asciiPrintable = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Long enough to cross every length limit, and now and then the body limit too. */
const huge = fc
  .tuple(fc.string({ unit: "binary", minLength: 1, maxLength: 3 }), fc.constantFrom(257, 1025, 4097, 70_000, 300_000))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

/**
 * Strings that break naive code: controls and NUL, lone surrogates, astral characters, look-alikes
 * of other types, prototype keys. Short, for paths and query strings too.
 */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 24 }),
  fc.string({ unit: "binary-ascii", maxLength: 24 }),
  fc.string({ unit: fc.oneof(control, asciiPrintable), maxLength: 24 }),
  // Lone halves of surrogate pairs: valid in a JS string and in escaped JSON, not in UTF-8.
  fc.string({ unit: fc.oneof(surrogate, asciiPrintable), minLength: 1, maxLength: 12 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "null",
    "true",
    "0",
    "-1",
    "1e309",
    "NaN",
    "__proto__",
    "constructor",
    "%00",
    "%FF",
    "../..",
    "' OR 1=1 --",
    "\u202e",
    "\ufeff",
  ),
);

/** Strings to put where any string goes: the short ones, and now and then a huge one. */
export const hostileString: fc.Arbitrary<string> = fc.oneof({ weight: 6, arbitrary: hostileText }, { weight: 1, arbitrary: huge });

const hostileNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(-0, -1, 0.5, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 8.64e15 + 1, 1e21, 1e308, -1e308, Number.MIN_VALUE),
);

/** Arrays or permission-query-shaped objects nested far beyond any limit. */
const deep = fc.tuple(fc.integer({ min: 20, max: 1000 }), fc.constantFrom("array", "and", "object")).map(([depth, shape]) => {
  let value: unknown = "x";
  for (let i = 0; i < depth; i++) value = shape === "array" ? [value] : shape === "and" ? { and: [value] } : { a: value };
  return value;
});

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  hostileString,
  hostileNumber,
  deep,
  fc.constantFrom(null, true, false, [], {}),
  fc.array(hostileString, { maxLength: 4 }),
  fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);

/** What a header may carry: printable ASCII (workerd refuses NUL, CR and LF, and warns about the rest). */
export const headerValue = fc.oneof(
  fc.string({ unit: fc.oneof(asciiPrintable, fc.constant("\t")), maxLength: 64 }),
  fc.integer({ min: 1025, max: 20_000 }).map((n) => "k".repeat(n)),
);

const base58 = /^[1-9A-HJ-NP-Za-km-z]+$/;

/** Strings shaped like API keys that were never issued. */
export const strangerKey = fc.oneof(
  fc.tuple(fc.stringMatching(/^[A-Za-z0-9_]{1,16}$/), fc.stringMatching(base58)).map(([prefix, random]) => `${prefix}_${random}`),
  fc.stringMatching(base58),
  headerValue,
);

/** Strings one step from a real key: each is a different key, so none may verify. */
export const nearMisses = (key: string) =>
  [key.slice(0, -1), key.slice(1), `${key.slice(0, -1)}${key.endsWith("1") ? "2" : "1"}`, key.toUpperCase(), key.toLowerCase(), key.replace("_", "-")].filter(
    (miss) => miss !== key,
  );

/** Authorization header values around a token: well-formed, mangled, or some other scheme. */
export const authorization = (token: fc.Arbitrary<string>) =>
  fc.oneof(
    token.map((t) => `Bearer ${t}`),
    token.map((t) => `bearer    ${t}\t`),
    token.map((t) => `Basic ${t}`),
    token.map((t) => `Bearer ${t} ${t}`),
    token,
    fc.constantFrom("Bearer", "Bearer ", "Bearer\t", "Token", ""),
    headerValue,
  );

export interface Shape {
  /** Ids and names of real resources by the field that takes them, so that some requests get past "not found". */
  pool: Readonly<Record<string, readonly string[]>>;
  /** How often a node is replaced by a hostile value; 0 keeps the value well-formed. */
  hostility: number;
}

/** Any character: controls, lone surrogates, astral planes. */
const anyChar = fc.oneof(asciiPrintable, control, surrogate, fc.string({ unit: "binary", minLength: 1, maxLength: 1 }));
const anyJson = fc.jsonValue({ maxDepth: 2, stringUnit: anyChar });

/**
 * Values for a JSON Schema node. With hostility 0 they conform to the schema, though with any
 * characters in strings and values at the limits. Otherwise each node is now and then swapped for
 * a hostile value, a field dropped or an unknown one added, so that every field sees wrong input
 * while the rest of the body stays good enough to reach the code behind validation.
 */
export function valueFor(schema: Schema, shape: Shape, resolve: (schema: Schema) => Schema, field = ""): fc.Arbitrary<unknown> {
  const everyId = Object.values(shape.pool).flat();

  const node = (s: Schema, field: string): fc.Arbitrary<unknown> => {
    const wellFormed = shaped(resolve(s), field);
    if (shape.hostility === 0) return wellFormed;
    return fc.oneof({ weight: Math.round(1 / shape.hostility), arbitrary: wellFormed }, { weight: 1, arbitrary: hostileValue });
  };

  const shaped = (s: Schema, field: string): fc.Arbitrary<unknown> => {
    if (s.anyOf) return fc.oneof(...s.anyOf.map((alternative: Schema) => node(alternative, field)));
    if (s.enum) return fc.constantFrom(...s.enum);
    const types: string[] = [s.type ?? "any"].flat();
    if (types.length > 1) return fc.oneof(...types.map((type) => shaped({ ...s, type }, field)));
    const example = s.example === undefined ? [] : [fc.constant(s.example)];
    switch (types[0]) {
      case "string":
        return fc.oneof(...example, stringFor(s, field));
      case "integer":
      case "number":
        return numberFor(s);
      case "boolean":
        return fc.boolean();
      case "null":
        return fc.constant(null);
      case "array":
        return fc.array(node(s.items ?? {}, field), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 4, 4) });
      case "object":
        return objectFor(s, field);
      default:
        return fc.oneof(...example, anyJson);
    }
  };

  const stringFor = (s: Schema, field: string): fc.Arbitrary<string> => {
    const min = s.minLength ?? 0;
    const max = s.maxLength ?? Infinity;
    const pattern = s.pattern === undefined ? undefined : new RegExp(s.pattern);
    const fits = (v: string) => v.length >= min && v.length <= max && (!pattern || pattern.test(v));
    // Lengths count UTF-16 units, as zod does; an astral character is two.
    const within = (unit: fc.Arbitrary<string> | "grapheme-ascii") =>
      fc.string({ unit, minLength: min, maxLength: Math.max(min, Math.min(max, 24)) }).filter(fits);
    const plain = pattern
      ? fc.stringMatching(pattern)
      : fc.oneof({ weight: 3, arbitrary: within("grapheme-ascii") }, { weight: 1, arbitrary: within(anyChar) });
    const choices = [{ weight: 3, arbitrary: plain }];
    const ids = (shape.pool[field] ?? []).filter(fits);
    if (ids.length) choices.push({ weight: 6, arbitrary: fc.constantFrom(...ids) });
    const others = [...everyId, "x".repeat(max === Infinity ? 256 : max)].filter(fits);
    if (others.length) choices.push({ weight: 1, arbitrary: fc.constantFrom(...others) });
    // One past each limit.
    if (shape.hostility > 0) choices.push({ weight: 1, arbitrary: fc.constantFrom("x".repeat((s.maxLength ?? 64) + 1), "x".repeat(Math.max(min - 1, 0))) });
    return fc.oneof(...choices);
  };

  const numberFor = (s: Schema): fc.Arbitrary<number> => {
    const min = s.minimum ?? -(2 ** 31);
    const max = s.maximum ?? 2 ** 31;
    const inRange = s.type === "integer" ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true });
    const edges = shape.hostility === 0 ? [min, max] : [min, max, min - 1, max + 1, min + 0.5];
    return fc.oneof({ weight: 4, arbitrary: inRange }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
  };

  const objectFor = (s: Schema, field: string): fc.Arbitrary<unknown> => {
    const properties: Record<string, Schema> = s.properties ?? {};
    if (Object.keys(properties).length === 0) {
      // A record: its keys follow propertyNames, its values additionalProperties.
      const key = s.propertyNames ? stringFor(resolve(s.propertyNames), field) : fc.string({ unit: anyChar, maxLength: 12 });
      const value = typeof s.additionalProperties === "object" ? node(s.additionalProperties, field) : anyJson;
      return fc.dictionary(key, value, { maxKeys: 4 });
    }
    // Optional fields are left out two times in three: each one set is another way for a body
    // to be refused, and bodies should still often get through to the handler.
    const required = new Set<string>(s.required ?? []);
    const member = (key: string, child: Schema) =>
      required.has(key) ? node(child, key) : fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: node(child, key) });
    const record = fc
      .record(Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, member(key, child)])))
      .map((value) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)));
    if (shape.hostility === 0) return record;
    const mutation = fc.option(
      fc.oneof(
        fc.tuple(fc.constant("add" as const), hostileString, hostileValue),
        fc.tuple(fc.constant("drop" as const), fc.constantFrom(...Object.keys(properties)), fc.constant(undefined)),
      ),
      { freq: 4 },
    );
    return fc.tuple(record, mutation).map(([value, change]) => {
      const object: Record<string, unknown> = { ...(value as object) };
      if (change?.[0] === "add") Object.defineProperty(object, change[1], { value: change[2], enumerable: true });
      if (change?.[0] === "drop") delete object[change[1]];
      return object;
    });
  };

  return node(schema, field);
}

/** A query-string or header value from a generated JSON value. */
export const asText = (value: unknown) => (typeof value === "string" ? value : (JSON.stringify(value) ?? ""));

/** Percent-encodes as UTF-8; unlike encodeURIComponent alone it never throws on a lone surrogate (sent as U+FFFD). */
export const percentEncode = (text: string) =>
  encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"));

/** Raw query-string fragments that a URL parser must survive: bad escapes, overlong and surrogate UTF-8. */
export const rawQueryNoise = fc.constantFrom("%", "%F", "%FF", "%C0%80", "%ED%A0%80", "%00", "a=%E0%A4", "&&", "=", "==x", "a=1&a=2", "+", ";", "%2B%26");

/** A stray byte, an overlong NUL, a UTF-8-encoded surrogate, a 5-byte form, a truncated sequence. */
const invalidUtf8 = [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]];
/** Where in a body to cut or splice. */
const fraction = fc.double({ min: 0, max: 1, noNaN: true });

/** How a body leaves the client: as JSON, or bent on the way (cut short, bad bytes, a BOM, not JSON at all). */
export const encodedBody = (value: fc.Arbitrary<unknown>): fc.Arbitrary<string | Uint8Array> =>
  fc.oneof(
    { weight: 12, arbitrary: value.map((v) => JSON.stringify(v) ?? "") },
    {
      weight: 1,
      arbitrary: fc.tuple(value, fraction).map(([v, at]) => {
        const text = JSON.stringify(v) ?? "";
        return text.slice(0, Math.floor(text.length * at));
      }),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(value, fc.constantFrom(...invalidUtf8), fraction).map(([v, bad, at]) => {
        const bytes = new TextEncoder().encode(JSON.stringify(v) ?? "");
        const cut = Math.floor(bytes.length * at);
        return new Uint8Array([...bytes.subarray(0, cut), ...bad, ...bytes.subarray(cut)]);
      }),
    },
    { weight: 1, arbitrary: value.map((v) => `\ufeff${JSON.stringify(v)}`) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 200_000 }).map((n) => "[".repeat(n) + "]".repeat(n)) },
    { weight: 1, arbitrary: fc.oneof(hostileString, fc.constantFrom("", "{", "}", "null", "undefined", "{'a':1}", '{"a":1}{"b":2}', "a=1&b=2")) },
  );

export const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant("application/json") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "application/json; charset=utf-16",
      "application/vnd.api+json",
      "text/plain",
      "text/json",
      "application/x-www-form-urlencoded",
      "multipart/form-data",
      "multipart/form-data; boundary=x",
      "application/octet-stream",
      "*/*",
      "",
    ),
  },
  { weight: 1, arbitrary: headerValue },
);

export const anyMethod = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PROPFIND");

/** Client addresses as proxies pass them on: inside and outside the test allowlist, lists, zones, junk. */
export const clientAddress = fc.oneof(
  fc.constantFrom(
    "203.0.113.7",
    "198.51.100.7",
    "2001:db8::7",
    "::ffff:203.0.113.7",
    "203.0.113.7, 10.0.0.1",
    "fe80::1%eth0",
    "256.0.0.1",
    "1.2.3.4/0",
    "::",
    "",
  ),
  headerValue,
);

/** Extra request headers: some that a Worker reads, and some random ones. */
export const extraHeaders = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom(
        "cf-connecting-ip",
        "x-forwarded-for",
        "user-agent",
        "accept",
        "accept-encoding",
        "content-encoding",
        "origin",
        "x-api-key",
        "cookie",
        "unkey-request-id",
      ),
      fc.stringMatching(/^x-[a-z0-9-]{1,20}$/),
    ),
    fc.oneof(headerValue, clientAddress, fc.constantFrom("gzip", "br")),
  ),
  { maxLength: 4 },
);
