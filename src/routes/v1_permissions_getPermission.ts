import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { getPermission } from "../services/permissions";
import { id, jsonResponse, permissionSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/permissions.getPermission",
  tags: ["permissions"],
  summary: "Read a permission.",
  middleware: [requireRootKey()] as const,
  request: { query: z.object({ permissionId: id }) },
  responses: jsonResponse(permissionSchema, "The permission."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await getPermission(c.env, callerOf(c), c.req.valid("query").permissionId), 200));
}
