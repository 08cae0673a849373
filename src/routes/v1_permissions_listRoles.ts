import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { listRoles } from "../services/roles";
import { jsonResponse, roleSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/permissions.listRoles",
  tags: ["permissions"],
  summary: "List the workspace's roles, by name.",
  middleware: [requireRootKey()] as const,
  responses: jsonResponse(z.array(roleSchema), "Every role of the workspace."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await listRoles(c.env, callerOf(c)), 200));
}
