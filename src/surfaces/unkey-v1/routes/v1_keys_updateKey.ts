import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { updateKey } from "../../../services/keys";
import { displayName, id, ipAllowlist, meta, namedLimits, rbacRef, refill, unixMs } from "../../../schemas";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse, keyRatelimit } from "../schemas";

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

const route = managementRoute({
  method: "post",
  path: "/v1/keys.updateKey",
  tags: ["keys"],
  summary: "Change a key. Returns once every verify, anywhere, sees the change.",
  request: { body: jsonBody(request) },
  responses: jsonResponse(z.object({}), "Updated."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await updateKey(c.env, c.var.caller, c.req.valid("json"));
    return c.json({}, 200);
  });
}
