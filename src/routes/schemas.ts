import { z } from "@hono/zod-openapi";
import { permissionQueryError, type PermissionQuery } from "../verify/permissionQuery";

const errorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "BAD_REQUEST" }),
      docs: z.string(),
      message: z.string(),
      requestId: z.string(),
    }),
  })
  .openapi("Error");

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: errorBody } } });

/** The error statuses every Unkey-style route may answer. */
export const errorResponses = {
  400: errorResponse("The request is malformed; `message` names the field."),
  401: errorResponse("The root key is missing or not valid."),
  403: errorResponse("The root key lacks a permission this call needs."),
  404: errorResponse("The resource does not exist in this workspace."),
  409: errorResponse("The resource already exists."),
  412: errorResponse("The resource is in a state that forbids this change."),
  413: errorResponse("The body is too large."),
  429: errorResponse("Too many requests."),
  500: errorResponse("Unexpected failure."),
  503: errorResponse("A dependency (D1, KV or a Durable Object) is unavailable; nothing was applied."),
} as const;

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  200: { description, content: { "application/json": { schema } } },
  ...errorResponses,
});

export const id = z.string().min(1).max(256);
/** A name to look up, not to store: names stored before displayName existed stay reachable. */
export const name = z.string().min(1).max(256);

/** C0 control characters and DEL break the one line a key or a name is shown on (listings, logs, audit entries). */
const noControlCharacters = (text: z.ZodString) => text.regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters");

/**
 * A name Keygate stores and shows on one line (key, api, identity, permission, role, namespace,
 * root key and workspace names, external ids, override identifiers, prefixes): any Unicode but
 * control characters. Descriptions and meta are free-form and may span lines.
 */
export const displayName = (max = 256, min = 1) => noControlCharacters(z.string().min(min).max(max));

export const MAX_META_DEPTH = 32;

/** How deeply a JSON value nests, counted without recursion so hostile input cannot overflow the stack. */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_META_DEPTH) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * An object keyed by the caller's strings, checked entry by entry like `record` and kept as
 * parsed: zod's record rebuilds the object by assignment, which silently drops a `__proto__` key
 * (JSON.parse keeps it as an ordinary own key).
 */
function keyedByCaller<R extends z.ZodRecord>(record: R) {
  const { $schema: _dialect, ...documented } = z.toJSONSchema(record, { target: "openapi-3.0", unrepresentable: "any" });
  return z
    .custom<z.output<R>>()
    .superRefine((input, ctx) => {
      const checked = record.safeParse(input);
      if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ ...issue });
    })
    .openapi(documented as object);
}

/** Free-form JSON kept with a key or identity; bounded in depth so it always round-trips. */
export const meta = keyedByCaller(z.record(z.string(), z.unknown()))
  .refine((value) => nestingDepth(value) <= MAX_META_DEPTH, `must not nest deeper than ${MAX_META_DEPTH} levels`)
  .openapi({ example: { plan: "pro" } });
export const cost = z.number().int("must be a whole number").min(0, "must not be negative").max(1_000_000_000);
export const limit = z.number().int("must be a whole number").min(1, "must be at least 1").max(1_000_000_000);
export const duration = z
  .number()
  .int("must be a whole number")
  .min(1000, "must be at least 1000 ms")
  .max(366 * 24 * 60 * 60 * 1000, "must be at most a year");
export const unixMs = z.number().int().min(0).max(8.64e15);
/** Keys up to 255 random bytes plus a prefix fit well within this. */
export const plaintextKey = noControlCharacters(z.string().min(1, "must not be empty").max(1024, "is longer than any key Keygate issues"));

export const namedLimit = z.strictObject({ name: displayName(), limit, duration });

export const refill = z.strictObject({
  interval: z.enum(["daily", "monthly"]),
  amount: z.number().int().min(1, "must be at least 1"),
  refillDay: z.number().int().min(1, "must be between 1 and 31").max(31, "must be between 1 and 31").optional(),
});

export const keyRatelimit = z.strictObject({
  async: z.boolean().optional(),
  type: z.enum(["fast", "consistent"]).optional(),
  limit,
  duration: duration.optional(),
  refillRate: z.number().int().min(1).optional(),
  refillInterval: duration.optional(),
});

export const permissionQuery = z
  .unknown()
  .superRefine((value, ctx) => {
    const error = permissionQueryError(value);
    if (error) ctx.addIssue({ code: "custom", message: error });
  })
  .transform((value) => value as PermissionQuery)
  .openapi({
    description: "A permission name, or nested `{and: [...]}` / `{or: [...]}` groups of queries.",
    example: { and: ["dns.record.read", { or: ["dns.record.update", "admin"] }] },
  });

/** A page of a list: `limit` up to 100, `cursor` from the previous page. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(100),
  cursor: z.string().max(256).optional(),
};

export const keySchema = z
  .object({
    id: z.string(),
    start: z.string(),
    workspaceId: z.string(),
    apiId: z.string().optional(),
    name: z.string().optional(),
    ownerId: z.string().optional(),
    meta: meta.optional(),
    createdAt: z.number(),
    updatedAt: z.number().optional(),
    expires: z.number().optional(),
    remaining: z.number().optional(),
    refill: z
      .object({
        interval: z.enum(["daily", "monthly"]),
        amount: z.number(),
        refillDay: z.number().nullable().optional(),
        lastRefillAt: z.number().optional(),
      })
      .optional(),
    ratelimit: z.object({ async: z.boolean(), type: z.enum(["fast", "consistent"]).optional(), limit: z.number(), duration: z.number() }).optional(),
    ratelimits: z.array(namedLimit).optional().openapi({ description: "The key's named limits." }),
    roles: z.array(z.string()).optional(),
    permissions: z.array(z.string()).optional(),
    enabled: z.boolean().optional(),
    environment: z.string().optional(),
    tier: z.string().optional(),
    ipAllowlist: z.array(z.string()).optional(),
    revokedAt: z.number().optional(),
    revokeReason: z.string().optional(),
    identity: z.object({ id: z.string(), externalId: z.string(), meta: meta.optional() }).optional(),
  })
  .openapi("Key");

export const ipAllowlist = z
  .array(z.string().min(1).max(64))
  .max(100)
  .openapi({ description: "IPv4/IPv6 addresses and CIDR ranges; empty allows any address.", example: ["203.0.113.0/24", "2001:db8::/32"] });

export const keyPrefixes = keyedByCaller(
  z.record(z.string().min(1).max(64), z.string().regex(/^[A-Za-z0-9_]{1,16}$/, "a prefix is 1-16 letters, digits or _")),
).openapi({ description: "Default key prefix per environment, used when createKey gives an environment and no prefix.", example: { production: "ks_prod", development: "ks_dev" } });

/** A permission or role named by id or by name; `create: true` makes a missing name. */
export const rbacRef = z.strictObject({
  id: id.optional(),
  name: displayName().optional(),
  slug: displayName().optional(),
  create: z.boolean().optional(),
});

/** An rbac description; Unkey accepts "" for none. */
export const rbacDescription = z.string().max(1024).optional();

export const permissionSchema = z
  .object({ id: z.string(), name: z.string(), slug: z.string(), description: z.string().optional() })
  .openapi("Permission");

export const roleSchema = z.object({ id: z.string(), name: z.string(), description: z.string().optional() }).openapi("Role");

/** What keys.add* and keys.set* answer: the permissions or roles, by id and name. */
export const rbacRows = z.array(z.object({ id: z.string(), name: z.string() }));

/** Named limits as a set: each name at most once. */
export const namedLimits = z
  .array(namedLimit)
  .max(50)
  .superRefine((limits, ctx) => {
    const seen = new Set<string>();
    limits.forEach((l, i) => {
      if (seen.has(l.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `"${l.name}" appears more than once` });
      seen.add(l.name);
    });
  });

/** An identity's externalId to look up by; where one is stored, displayName. */
export const externalId = z.string().min(1).max(256);

export const identitySchema = z
  .object({
    id: z.string(),
    externalId: z.string(),
    meta,
    ratelimits: z.array(namedLimit),
    tier: z.string().optional(),
  })
  .openapi("Identity");

/** A ratelimit namespace, by id or by name (at least one). */
export const namespaceRef = {
  namespaceId: id.optional(),
  namespaceName: name.optional(),
};

export const overrideSchema = z
  .object({
    id: z.string(),
    identifier: z.string(),
    limit: z.number(),
    duration: z.number(),
    async: z.boolean().nullable().optional(),
  })
  .openapi("RatelimitOverride");

/** Unix milliseconds given in a query string. */
export const unixMsQuery = z.coerce.number().int().min(0).max(8.64e15);

/** A key to import (migrations.createKeys and migrations.enqueueKeys), by plaintext or by hash. */
export const importedKeySettings = z.strictObject({
  prefix: displayName(16, 0).optional(),
  name: displayName().optional(),
  plaintext: plaintextKey.min(8, "must be at least 8 characters").optional(),
  hash: z
    .strictObject({
      value: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, "must be the base64 of a SHA-256 digest"),
      variant: z.literal("sha256_base64"),
    })
    .optional(),
  start: displayName(32, 0).optional(),
  ownerId: displayName().optional(),
  externalId: displayName().optional(),
  meta: meta.optional(),
  roles: z.array(displayName()).max(100).optional(),
  permissions: z.array(displayName()).max(1000).optional(),
  expires: unixMs.optional(),
  remaining: z.number().int().min(0).optional(),
  refill: refill.optional(),
  ratelimit: keyRatelimit.optional(),
  ratelimits: namedLimits.optional(),
  enabled: z.boolean().optional(),
  environment: z.string().min(1).max(256).optional(),
  ipAllowlist: ipAllowlist.optional(),
  tier: z.string().min(1).max(64).optional(),
});

/** At most this many keys an import call, so one D1 batch holds them all. */
export const MAX_IMPORTED_KEYS = 100;
