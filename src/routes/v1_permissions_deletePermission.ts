import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { deletePermission } from "../services/permissions";
import { id, jsonBody, jsonResponse } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/permissions.deletePermission",
  tags: ["permissions"],
  summary: "Delete a permission; keys and roles lose it, and the next verify of each key sees that.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(z.strictObject({ permissionId: id })) },
  responses: jsonResponse(z.object({}), "Deleted."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await deletePermission(c.env, callerOf(c), c.req.valid("json").permissionId);
    return c.json({}, 200);
  });
}
