import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id } from "../../../schemas";
import { getPermission } from "../../../services/permissions";
import { managementRoute } from "../route";
import { jsonResponse, permissionSchema } from "../schemas";

const route = managementRoute({
  method: "get",
  path: "/v1/permissions.getPermission",
  tags: ["permissions"],
  summary: "Read a permission.",
  request: { query: z.object({ permissionId: id }) },
  responses: jsonResponse(permissionSchema, "The permission."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await getPermission(c.env, c.var.caller, c.req.valid("query").permissionId), 200));
}
