import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { setOverride } from "../services/overrides";
import { displayName, duration, jsonBody, jsonResponse, limit, namespaceRef } from "./schemas";

const request = z.strictObject({
  ...namespaceRef,
  identifier: displayName().openapi({ description: "An identifier, or a pattern where `*` matches any characters.", example: "*@example.com" }),
  limit,
  duration,
  async: z.boolean().optional(),
});

const route = createRoute({
  method: "post",
  path: "/v1/ratelimits.setOverride",
  tags: ["ratelimits"],
  summary: "Give an identifier its own limit and duration in a namespace (replaces any previous one).",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(request) },
  responses: jsonResponse(z.object({ overrideId: z.string() }), "Set."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await setOverride(c.env, callerOf(c), c.req.valid("json")), 200));
}
