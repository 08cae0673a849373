import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { createPermission } from "../services/permissions";
import { displayName, jsonBody, jsonResponse, rbacDescription } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/permissions.createPermission",
  tags: ["permissions"],
  summary: "Create a permission that keys can hold directly or through roles.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(z.strictObject({ name: displayName(), slug: displayName().optional(), description: rbacDescription })) },
  responses: jsonResponse(z.object({ permissionId: z.string() }), "The new permission's id."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createPermission(c.env, callerOf(c), c.req.valid("json")), 200));
}
