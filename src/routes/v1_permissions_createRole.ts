import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { createRole } from "../services/roles";
import { displayName, jsonBody, jsonResponse, rbacDescription } from "./schemas";

const request = z.strictObject({
  name: displayName(),
  description: rbacDescription,
  permissions: z
    .array(displayName())
    .max(1000)
    .optional()
    .openapi({ description: "Keygate extension: names of the permissions the role grants; missing ones are created." }),
});

const route = createRoute({
  method: "post",
  path: "/v1/permissions.createRole",
  tags: ["permissions"],
  summary: "Create a role: a named set of permissions that keys can hold.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(request) },
  responses: jsonResponse(z.object({ roleId: z.string() }), "The new role's id."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createRole(c.env, callerOf(c), c.req.valid("json")), 200));
}
