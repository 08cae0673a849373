import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { overrideSetting } from "../../../schemas";
import { setOverride } from "../../../services/overrides";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse } from "../schemas";

const route = managementRoute({
  method: "post",
  path: "/v1/ratelimits.setOverride",
  tags: ["ratelimits"],
  summary: "Give an identifier its own limit and duration in a namespace (replaces any previous one).",
  request: { body: jsonBody(overrideSetting) },
  responses: jsonResponse(z.object({ overrideId: z.string() }), "Set."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await setOverride(c.env, c.var.caller, c.req.valid("json")), 200));
}
