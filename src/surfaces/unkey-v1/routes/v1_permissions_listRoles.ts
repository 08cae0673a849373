import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { listRoles } from "../../../services/roles";
import { managementRoute } from "../route";
import { jsonResponse, roleSchema } from "../schemas";

const route = managementRoute({
  method: "get",
  path: "/v1/permissions.listRoles",
  tags: ["permissions"],
  summary: "List the workspace's roles, by name.",
  responses: jsonResponse(z.array(roleSchema), "Every role of the workspace."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await listRoles(c.env, c.var.caller), 200));
}
