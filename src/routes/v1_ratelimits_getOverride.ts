import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { getOverride } from "../services/overrides";
import { jsonResponse, namespaceRef, overrideSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/ratelimits.getOverride",
  tags: ["ratelimits"],
  summary: "Read the override of an identifier (or pattern) in a namespace.",
  middleware: [requireRootKey()] as const,
  request: { query: z.object({ ...namespaceRef, identifier: z.string().min(1).max(256) }) },
  responses: jsonResponse(overrideSchema, "The override."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await getOverride(c.env, callerOf(c), c.req.valid("query")), 200));
}
