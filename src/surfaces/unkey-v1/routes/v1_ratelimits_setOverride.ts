import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { setOverride } from "../../../services/overrides";
import { displayName, duration, limit } from "../../../schemas";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse, namespaceRef } from "../schemas";

const request = z.strictObject({
  ...namespaceRef,
  identifier: displayName().openapi({ description: "An identifier, or a pattern where `*` matches any characters.", example: "*@example.com" }),
  limit,
  duration,
  async: z.boolean().optional(),
});

const route = managementRoute({
  method: "post",
  path: "/v1/ratelimits.setOverride",
  tags: ["ratelimits"],
  summary: "Give an identifier its own limit and duration in a namespace (replaces any previous one).",
  request: { body: jsonBody(request) },
  responses: jsonResponse(z.object({ overrideId: z.string() }), "Set."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await setOverride(c.env, c.var.caller, c.req.valid("json")), 200));
}
