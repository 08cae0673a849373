import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { creditsChange } from "../../../schemas";
import { updateRemaining } from "../../../services/keys/credits";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse } from "../schemas";

const route = managementRoute({
  method: "post",
  path: "/v1/keys.updateRemaining",
  tags: ["keys"],
  summary: "Change a key's credits atomically; answers the new value.",
  request: { body: jsonBody(creditsChange) },
  responses: jsonResponse(z.object({ remaining: z.number().nullable() }), "The credits after the change."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await updateRemaining(c.env, c.var.caller, c.req.valid("json")), 200));
}
