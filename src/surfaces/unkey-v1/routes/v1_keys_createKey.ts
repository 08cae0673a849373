import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { createKey } from "../../../services/keys";
import { displayName, id, ipAllowlist, meta, namedLimits, refill, unixMs } from "../../../schemas";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse, keyRatelimit } from "../schemas";

const request = z.strictObject({
  apiId: id,
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,16}$/, "a prefix is 1-16 letters, digits or _")
    .optional()
    .openapi({ description: "Readable prefix; the key is `<prefix>_<random>`.", example: "sk_live" }),
  name: displayName().optional(),
  byteLength: z.number().int().min(16, "must be at least 16").max(255, "must be at most 255").optional().openapi({ description: "Random bytes in the key (default 16)." }),
  ownerId: displayName().optional().openapi({ deprecated: true, description: "Use externalId." }),
  externalId: displayName().optional().openapi({ description: "Links the key to this identity, creating it if needed." }),
  meta: meta.optional(),
  roles: z.array(displayName()).max(100).optional(),
  permissions: z.array(displayName()).max(1000).optional(),
  expires: unixMs.optional(),
  remaining: z.number().int().min(0).optional().openapi({ description: "Credits; each verify consumes `remaining.cost` of them." }),
  refill: refill.optional(),
  ratelimit: keyRatelimit.optional(),
  ratelimits: namedLimits.optional().openapi({ description: "Named limits, requested by name on verify." }),
  enabled: z.boolean().optional(),
  recoverable: z.boolean().optional(),
  environment: z.string().min(1).max(256).optional(),
  ipAllowlist: ipAllowlist.optional(),
  tier: z.string().min(1).max(64).optional(),
});

const route = managementRoute({
  method: "post",
  path: "/v1/keys.createKey",
  tags: ["keys"],
  summary: "Issue a key. The plaintext is in this answer only; Keygate stores its hash.",
  request: { body: jsonBody(request) },
  responses: jsonResponse(z.object({ keyId: z.string(), key: z.string() }), "The new key."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createKey(c.env, c.var.caller, c.req.valid("json")), 200));
}
