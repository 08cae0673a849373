import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { createKeys } from "../services/migrations";
import { id, ipAllowlist, jsonBody, jsonResponse, keyRatelimit, meta, name, namedLimits, plaintextKey, refill, unixMs } from "./schemas";

const importedKey = z.strictObject({
  apiId: id,
  prefix: z.string().max(16).optional(),
  name: name.optional(),
  plaintext: plaintextKey.min(8, "must be at least 8 characters").optional(),
  hash: z
    .strictObject({
      value: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, "must be the base64 of a SHA-256 digest"),
      variant: z.literal("sha256_base64"),
    })
    .optional(),
  start: z.string().max(32).optional(),
  ownerId: z.string().min(1).max(256).optional(),
  externalId: z.string().min(1).max(256).optional(),
  meta: meta.optional(),
  roles: z.array(name).max(100).optional(),
  permissions: z.array(name).max(1000).optional(),
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

const route = createRoute({
  method: "post",
  path: "/v1/migrations.createKeys",
  tags: ["migrations"],
  summary: "Import existing keys by plaintext or by SHA-256 hash; all of them or none.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(z.array(importedKey).min(1, "give at least one key").max(100, "import at most 100 keys a call")) },
  responses: jsonResponse(z.object({ keyIds: z.array(z.string()) }), "The new keys' ids, in the order given."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createKeys(c.env, callerOf(c), c.req.valid("json")), 200));
}
