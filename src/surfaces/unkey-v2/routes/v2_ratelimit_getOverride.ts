import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { getOverride } from "../../../services/overrides";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";
import { namespaceIdOrName } from "./v2_ratelimit_limit";

export const v2Override = z.object({ overrideId: z.string(), duration: z.number(), identifier: z.string(), limit: z.number() }).openapi("V2RatelimitOverride");

/** An override as the overrides service renders it, in v2's shape. */
export const toV2Override = (override: { id: string; duration: number; identifier: string; limit: number }): z.infer<typeof v2Override> => ({
  overrideId: override.id,
  duration: override.duration,
  identifier: override.identifier,
  limit: override.limit,
});

const request = z
  .strictObject({
    namespace: namespaceIdOrName.openapi({ description: "The namespace's name or id." }),
    identifier: z.string().min(1).max(512).openapi({ description: "Exactly as the override was set, a pattern included.", example: "premium_*" }),
  })
  .openapi("V2RatelimitGetOverrideRequest");

const route = v2Operation({
  path: "/v2/ratelimit.getOverride",
  tags: ["ratelimit"],
  summary: "Read the override of an identifier (or pattern) in a namespace.",
  description: "Needs `ratelimit.*.read_override` or `ratelimit.<namespaceId>.read_override`.",
  request: { body: jsonBody(request) },
  responses: v2Response(v2Override, "The override."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { namespace, identifier } = c.req.valid("json");
    return c.json(v2Data(c, toV2Override(await getOverride(c.env, c.var.caller, { idOrName: namespace, identifier }))), 200);
  });
}
