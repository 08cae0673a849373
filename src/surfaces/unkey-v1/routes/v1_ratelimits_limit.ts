import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { cost, displayName, duration, limit, meta } from "../../../schemas";
import { applyLimit, DEFAULT_NAMESPACE } from "../../../services/ratelimits";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse } from "../schemas";

const request = z.strictObject({
  namespace: displayName()
    .optional()
    .openapi({ description: `Created on first use; default "${DEFAULT_NAMESPACE}".` }),
  identifier: z.string().min(1).max(256).openapi({ description: "Who is limited: a user id, an address, …", example: "user_123" }),
  limit,
  duration: duration.openapi({ description: "The sliding window, in milliseconds." }),
  cost: cost.optional().openapi({ description: "How much this request counts (default 1; 0 only reads)." }),
  async: z.boolean().optional().openapi({ description: "Accepted for compatibility; every limit is counted exactly." }),
  meta: meta.optional().openapi({ description: "Accepted for compatibility; not stored." }),
  resources: z
    .array(z.strictObject({ type: z.string().max(256), id: z.string().max(256), name: z.string().max(256).optional(), meta: meta.optional() }))
    .max(100)
    .optional()
    .openapi({ description: "Accepted for compatibility; not stored." }),
});

const response = z.object({
  success: z.boolean(),
  limit: z.number(),
  remaining: z.number(),
  reset: z.number().openapi({ description: "Unix ms at which the oldest counted request leaves the window." }),
});

const route = managementRoute({
  method: "post",
  path: "/v1/ratelimits.limit",
  tags: ["ratelimits"],
  summary: "Count a request against an identifier's limit; `success` says whether it is admitted.",
  request: { body: jsonBody(request) },
  responses: jsonResponse(response, "Whether the request is within the limit."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await applyLimit(c.env, c.var.caller, c.req.valid("json")), 200));
}
