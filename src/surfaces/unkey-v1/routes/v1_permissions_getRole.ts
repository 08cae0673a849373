import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id } from "../../../schemas";
import { getRole } from "../../../services/roles";
import { managementRoute } from "../route";
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
