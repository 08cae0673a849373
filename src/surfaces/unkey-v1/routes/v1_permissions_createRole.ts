import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { newRole } from "../../../schemas";
import { createRole } from "../../../services/roles";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse } from "../schemas";

const route = managementRoute({
  method: "post",
  path: "/v1/permissions.createRole",
  tags: ["permissions"],
  summary: "Create a role: a named set of permissions that keys can hold.",
  request: { body: jsonBody(newRole) },
  responses: jsonResponse(z.object({ roleId: z.string() }), "The new role's id."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createRole(c.env, c.var.caller, c.req.valid("json")), 200));
}
