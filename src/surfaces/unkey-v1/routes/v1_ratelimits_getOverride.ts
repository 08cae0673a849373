import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { namespaceRef } from "../../../schemas";
import { getOverride } from "../../../services/overrides";
import { managementRoute } from "../route";
import { jsonResponse, overrideSchema } from "../schemas";

const route = managementRoute({
  method: "get",
  path: "/v1/ratelimits.getOverride",
  tags: ["ratelimits"],
  summary: "Read the override of an identifier (or pattern) in a namespace.",
  request: { query: z.object({ ...namespaceRef, identifier: z.string().min(1).max(256) }) },
  responses: jsonResponse(overrideSchema, "The override."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await getOverride(c.env, c.var.caller, c.req.valid("query")), 200));
}
