import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { cost, displayName, duration, limit } from "../../../schemas";
import { applyLimits } from "../../../services/ratelimits";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

/** A namespace as v2 names it: its name or its id. One not found by either is created with this name. */
export const namespaceIdOrName = displayName(512).openapi({
  description: "The namespace's name or id. A name not in use yet creates the namespace (with `ratelimit.*.limit`).",
  example: "api.requests",
});

/** One check, as ratelimit.limit takes it and ratelimit.multiLimit takes a list of them. */
export const limitCheck = z
  .strictObject({
    namespace: namespaceIdOrName,
    identifier: z.string().min(1).max(512).openapi({ description: "Who is limited: a user id, an address, …", example: "user_123" }),
    limit,
    duration: duration.openapi({ description: "The sliding window, in milliseconds." }),
    cost: cost.optional().openapi({ description: "How much this request counts (default 1; 0 only reads)." }),
    async: z.boolean().optional().openapi({ description: "Accepted for compatibility; every limit is counted exactly." }),
  })
  .openapi("V2RatelimitLimitRequest");

const limitAnswer = z
  .object({
    limit: z.number().openapi({ description: "The limit applied: the one given, or its override's." }),
    remaining: z.number(),
    reset: z.number().openapi({ description: "Unix ms at which the oldest counted request leaves the window." }),
    success: z.boolean().openapi({ description: "Whether the request is within the limit; a refusal is still a 200." }),
    overrideId: z.string().optional().openapi({ description: "The override that replaced the limit and duration given, if one applied." }),
  })
  .openapi("V2RatelimitLimitResponseData");

const route = v2Operation({
  path: "/v2/ratelimit.limit",
  tags: ["ratelimit"],
  summary: "Count a request against an identifier's limit; `success` says whether it is admitted.",
  description:
    "Counted exactly, in the Durable Object that owns the identifier's window: concurrent calls anywhere never admit more than the limit. An override of the identifier replaces the limit and duration given. Needs `ratelimit.*.limit` or `ratelimit.<namespaceId>.limit`.",
  request: { body: jsonBody(limitCheck) },
  responses: v2Response(limitAnswer, "Whether the request is within the limit."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const [answer] = await applyLimits(c.env, c.var.caller, [c.req.valid("json")]);
    return c.json(v2Data(c, answer!), 200);
  });
}
