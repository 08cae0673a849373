import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { listPermissions } from "../services/permissions";
import { jsonResponse, permissionSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/permissions.listPermissions",
  tags: ["permissions"],
  summary: "List the workspace's permissions, by name.",
  middleware: [requireRootKey()] as const,
  responses: jsonResponse(z.array(permissionSchema), "Every permission of the workspace."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await listPermissions(c.env, callerOf(c)), 200));
}
