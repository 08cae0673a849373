import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { managementRoute } from "../route";
import type { AppEnv } from "../../../env";
import { getOverride } from "../../../services/overrides";
import { namespaceRef } from "../../../schemas";
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
