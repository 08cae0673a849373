import { z } from "@hono/zod-openapi";
import { type PermissionQuery, permissionQueryError } from "./verify/permissionQuery";

/**
 * The request shapes every surface shares (names, keys, limits, meta, permission queries) and the
 * management bodies built from them: one zod schema per shape, so each API version validates them
 * alike, and services take their input types from them (z.infer), never from a surface.
 */

export const id = z.string().min(1).max(256);

/** A name to look up, not to store: names stored before displayName existed stay reachable. */
export const name = z.string().min(1).max(256);

/** C0 control characters and DEL break the one line a key or a name is shown on (listings, logs, audit entries). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
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

export const namedLimit = z.strictObject({
  name: displayName(),
  limit,
  duration,
  autoApply: z.boolean().optional().openapi({ description: "Checked on every verify without being named (default false)." }),
});
export type NamedLimit = z.infer<typeof namedLimit>;

export const refillInterval = z.enum(["daily", "monthly"]);

export const refill = z.strictObject({
  interval: refillInterval,
  amount: z.number().int().min(1, "must be at least 1"),
  refillDay: z.number().int().min(1, "must be between 1 and 31").max(31, "must be between 1 and 31").optional(),
});
export type Refill = z.infer<typeof refill>;

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

/** What a key Keygate issues starts with: `<prefix>_<random>`. */
export const keyPrefix = z.string().regex(/^[A-Za-z0-9_]{1,16}$/, "a prefix is 1-16 letters, digits or _");

export const keyPrefixes = keyedByCaller(z.record(z.string().min(1).max(64), keyPrefix)).openapi({
  description: "Default key prefix per environment, used when createKey gives an environment and no prefix.",
  example: { production: "ks_prod", development: "ks_dev" },
});

/** A permission or role named by id or by name; `create: true` makes a missing name. */
export const rbacRef = z.strictObject({
  id: id.optional(),
  name: displayName().optional(),
  slug: displayName().optional(),
  create: z.boolean().optional(),
});
export type RbacRef = z.infer<typeof rbacRef>;

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

/** The environment a key belongs to, which a verify may require. */
export const environment = z.string().min(1).max(256);

/** A key's or an identity's tier, carried into verify answers. */
export const tier = z.string().min(1).max(64);

/** Credits a key holds; each verify spends its cost from them. */
export const credits = z.number().int().min(0);

/** A key's own limit as Unkey v1 gives it: `refillInterval` is the older name of `duration`. */
export const keyRatelimit = z.strictObject({
  async: z.boolean().optional(),
  type: z.enum(["fast", "consistent"]).optional(),
  limit,
  duration: duration.optional(),
  refillRate: z.number().int().min(1).optional(),
  refillInterval: duration.optional(),
});
export type KeyRatelimit = z.infer<typeof keyRatelimit>;

/** A key's settings, as a new key (keys.createKey) and an imported one (migrations.*) take them. */
export const keySettings = z.strictObject({
  name: displayName().optional(),
  ownerId: displayName().optional(),
  externalId: displayName().optional(),
  meta: meta.optional(),
  roles: z.array(displayName()).max(100).optional(),
  permissions: z.array(displayName()).max(1000).optional(),
  expires: unixMs.optional(),
  remaining: credits.optional(),
  refill: refill.optional(),
  ratelimit: keyRatelimit.optional(),
  ratelimits: namedLimits.optional(),
  enabled: z.boolean().optional(),
  environment: environment.optional(),
  ipAllowlist: ipAllowlist.optional(),
  tier: tier.optional(),
});
export type KeySettings = z.infer<typeof keySettings>;

/** A key to issue (keys.createKey): its api, how its plaintext is made, and its settings. */
export const newKey = z.strictObject({
  apiId: id,
  prefix: keyPrefix.optional().openapi({ description: "Readable prefix; the key is `<prefix>_<random>`.", example: "sk_live" }),
  ...keySettings.shape,
  ownerId: keySettings.shape.ownerId.openapi({ deprecated: true, description: "Use externalId." }),
  externalId: keySettings.shape.externalId.openapi({ description: "Links the key to this identity, creating it if needed." }),
  remaining: keySettings.shape.remaining.openapi({ description: "Credits; each verify consumes `remaining.cost` of them." }),
  ratelimits: keySettings.shape.ratelimits.openapi({ description: "Named limits, requested by name on verify." }),
  byteLength: z
    .number()
    .int()
    .min(16, "must be at least 16")
    .max(255, "must be at most 255")
    .optional()
    .openapi({ description: "Random bytes in the key (default 16)." }),
  recoverable: z.boolean().optional(),
});
export type CreateKeyInput = z.infer<typeof newKey>;

/** An existing key to import (migrations.*): its plaintext, or only its hash, and its settings. */
export const importedKey = z.strictObject({
  /** Accepted as Unkey's export gives it; an imported key keeps its plaintext, so no prefix is applied. */
  prefix: displayName(16, 0).optional(),
  ...keySettings.shape,
  /** The key as its holders use it; hashed here and never stored. */
  plaintext: plaintextKey.min(8, "must be at least 8 characters").optional(),
  /** Or only its hash, as Unkey exports it: base64 of SHA-256, the form Keygate stores. */
  hash: z
    .strictObject({
      value: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, "must be the base64 of a SHA-256 digest"),
      variant: z.literal("sha256_base64"),
    })
    .optional(),
  start: displayName(32, 0).optional(),
});
/** An imported key names its api (migrations.createKeys), or the call names one for all (migrations.enqueueKeys). */
export type ImportedKey = z.infer<typeof importedKey> & { apiId: string };

/** A change to a key (keys.updateKey): only the fields given change, and null clears one. */
export const keyUpdate = z.strictObject({
  keyId: id,
  name: displayName().nullable().optional(),
  ownerId: displayName().nullable().optional(),
  externalId: displayName().nullable().optional(),
  meta: meta.nullable().optional(),
  expires: unixMs.nullable().optional(),
  ratelimit: keyRatelimit.nullable().optional(),
  ratelimits: namedLimits.optional(),
  remaining: credits.nullable().optional(),
  refill: refill.nullable().optional(),
  enabled: z.boolean().optional(),
  roles: z.array(rbacRef).max(100).optional(),
  permissions: z.array(rbacRef).max(1000).optional(),
  ipAllowlist: ipAllowlist.optional(),
  tier: tier.nullable().optional(),
});
export type UpdateKeyInput = z.infer<typeof keyUpdate>;

/** keys.revokeKey: the reason stays listed with the key. */
export const keyRevocation = z.strictObject({ keyId: id, reason: z.string().min(1).max(512).optional() });
export type RevokeKeyInput = z.infer<typeof keyRevocation>;

export const keyReroll = z.strictObject({
  keyId: id,
  expiration: z
    .number()
    .int("must be a whole number")
    .min(0, "must not be negative")
    .max(365 * 24 * 60 * 60 * 1000, "must be at most a year")
    .optional()
    .openapi({ description: "How long the old key keeps working, in ms (default 0: it stops now)." }),
});
export type RerollKeyInput = z.infer<typeof keyReroll>;

/** keys.updateRemaining: `set` takes null for unlimited credits. */
export const creditsChange = z.strictObject({
  keyId: id,
  op: z.enum(["increment", "decrement", "set"]),
  value: z.number().int("must be a whole number").min(0, "must not be negative").max(1_000_000_000_000).nullable(),
});
export type UpdateRemainingInput = z.infer<typeof creditsChange>;

/** The longest staleness bound an api may choose for edge mode. */
export const MAX_STALENESS_MS = 60_000;

export const verifyMaxStalenessMs = z
  .number()
  .int("must be a whole number of milliseconds")
  .min(0, "must not be negative")
  .max(MAX_STALENESS_MS, `must be at most ${MAX_STALENESS_MS} ms`)
  .nullable()
  .openapi({
    description:
      "Edge mode: how stale, in ms, a verify of this api's keys may be (changes are seen within it, counters stay exact); 0 = strict mode; null = the deployment's VERIFY_MAX_STALENESS_MS.",
    example: 1000,
  });

export const newApi = z.strictObject({
  name: displayName(),
  ipAllowlist: ipAllowlist.optional(),
  keyPrefixes: keyPrefixes.optional(),
  verifyMaxStalenessMs: verifyMaxStalenessMs.optional(),
});
export type CreateApiInput = z.infer<typeof newApi>;

export const apiUpdate = z.strictObject({ apiId: id, verifyMaxStalenessMs });
export type UpdateApiInput = z.infer<typeof apiUpdate>;

export const newIdentity = z.strictObject({
  externalId: displayName(),
  meta: meta.optional(),
  ratelimits: namedLimits.optional().openapi({ description: "Limits shared by all keys of the identity." }),
  tier: tier.optional(),
});
export type CreateIdentityInput = z.infer<typeof newIdentity>;

/** A change to an identity, found by identityId or externalId: only the fields given change. */
export const identityUpdate = z.strictObject({
  identityId: id.optional(),
  externalId: externalId.optional(),
  environment: environment.optional().openapi({ description: "Accepted for compatibility; identities have one environment." }),
  meta: meta.optional().openapi({ description: "Replaces the identity's meta." }),
  ratelimits: namedLimits.optional().openapi({ description: "Replaces the identity's whole set of limits." }),
  tier: tier.nullable().optional(),
});
/** `environment` is accepted and dropped: an identity has one. */
export type UpdateIdentityInput = Omit<z.infer<typeof identityUpdate>, "environment">;

export const newPermission = z.strictObject({ name: displayName(), slug: displayName().optional(), description: rbacDescription });
export type CreatePermissionInput = z.infer<typeof newPermission>;

export const newRole = z.strictObject({
  name: displayName(),
  description: rbacDescription,
  permissions: z
    .array(displayName())
    .max(1000)
    .optional()
    .openapi({ description: "Keygate extension: names of the permissions the role grants; missing ones are created." }),
});
export type CreateRoleInput = z.infer<typeof newRole>;

export const newRootKey = z.strictObject({
  workspaceId: id.optional().openapi({ description: "Default: the caller's workspace. Another one needs the bootstrap ROOT_KEY." }),
  name: displayName(),
  permissions: z
    .array(z.string().min(1).max(256))
    .max(200)
    .openapi({ example: ["api.*.create_key", "api.*.read_key"] }),
  expires: unixMs.optional(),
});
export type CreateRootKeyInput = z.infer<typeof newRootKey>;

/** A ratelimit namespace, by id or by name (at least one). */
export const namespaceRef = {
  namespaceId: id.optional(),
  namespaceName: name.optional(),
};

/** ratelimits.setOverride: the limit and duration ratelimits.limit uses for this identifier instead. */
export const overrideSetting = z.strictObject({
  ...namespaceRef,
  identifier: displayName().openapi({ description: "An identifier, or a pattern where `*` matches any characters.", example: "*@example.com" }),
  limit,
  duration,
  async: z.boolean().optional(),
});
export type SetOverrideInput = z.infer<typeof overrideSetting>;
