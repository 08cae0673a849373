import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { listPermissions } from "../../../services/permissions";
import { managementRoute } from "../route";
import { jsonResponse, permissionSchema } from "../schemas";

const route = managementRoute({
  method: "get",
  path: "/v1/permissions.listPermissions",
  tags: ["permissions"],
  summary: "List the workspace's permissions, by name.",
  responses: jsonResponse(z.array(permissionSchema), "Every permission of the workspace."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await listPermissions(c.env, c.var.caller), 200));
}
