import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { updateKey } from "../services/keys";
import { displayName, id, ipAllowlist, jsonBody, jsonResponse, keyRatelimit, meta, namedLimits, rbacRef, refill, unixMs } from "./schemas";

const request = z.strictObject({
  keyId: id,
  name: displayName().nullable().optional(),
  ownerId: displayName().nullable().optional(),
  externalId: displayName().nullable().optional(),
  meta: meta.nullable().optional(),
  expires: unixMs.nullable().optional(),
  ratelimit: keyRatelimit.nullable().optional(),
  ratelimits: namedLimits.optional(),
  remaining: z.number().int().min(0).nullable().optional(),
  refill: refill.nullable().optional(),
  enabled: z.boolean().optional(),
  roles: z.array(rbacRef).max(100).optional(),
  permissions: z.array(rbacRef).max(1000).optional(),
  ipAllowlist: ipAllowlist.optional(),
  tier: z.string().min(1).max(64).nullable().optional(),
});

const route = createRoute({
  method: "post",
  path: "/v1/keys.updateKey",
  tags: ["keys"],
  summary: "Change a key. Returns once every verify, anywhere, sees the change.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(request) },
  responses: jsonResponse(z.object({}), "Updated."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await updateKey(c.env, callerOf(c), c.req.valid("json"));
    return c.json({}, 200);
  });
}
