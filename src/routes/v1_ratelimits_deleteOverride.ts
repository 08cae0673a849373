import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { deleteOverride } from "../services/overrides";
import { jsonBody, jsonResponse, namespaceRef } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/ratelimits.deleteOverride",
  tags: ["ratelimits"],
  summary: "Remove an identifier's override; ratelimits.limit uses the limit it is given again.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(z.strictObject({ ...namespaceRef, identifier: z.string().min(1).max(256) })) },
  responses: jsonResponse(z.object({}), "Removed."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await deleteOverride(c.env, callerOf(c), c.req.valid("json"));
    return c.json({}, 200);
  });
}
