import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { deleteRole } from "../services/roles";
import { id, jsonBody, jsonResponse } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/permissions.deleteRole",
  tags: ["permissions"],
  summary: "Delete a role; keys lose its permissions, and the next verify of each key sees that.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(z.strictObject({ roleId: id })) },
  responses: jsonResponse(z.object({}), "Deleted."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await deleteRole(c.env, callerOf(c), c.req.valid("json").roleId);
    return c.json({}, 200);
  });
}
