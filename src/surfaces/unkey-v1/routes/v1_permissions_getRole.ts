import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { managementRoute } from "../route";
import type { AppEnv } from "../../../env";
import { getRole } from "../../../services/roles";
import { id } from "../../../schemas";
import { jsonResponse, roleSchema } from "../schemas";

const route = managementRoute({
  method: "get",
  path: "/v1/permissions.getRole",
  tags: ["permissions"],
  summary: "Read a role and the names of the permissions it grants.",
  request: { query: z.object({ roleId: id }) },
  responses: jsonResponse(roleSchema.extend({ permissions: z.array(z.string()) }), "The role."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await getRole(c.env, c.var.caller, c.req.valid("query").roleId), 200));
}
