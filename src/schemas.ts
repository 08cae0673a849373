import { z } from "@hono/zod-openapi";
import { permissionQueryError, type PermissionQuery } from "./verify/permissionQuery";

/**
 * The request shapes every surface shares (names, keys, limits, meta, permission queries): one
 * zod schema per shape, so each API version validates them alike and services take their types.
 */

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
