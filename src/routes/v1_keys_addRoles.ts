import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { addToKey } from "../services/keyRbac";
import { id, jsonBody, jsonResponse, rbacRef, rbacRows } from "./schemas";

const request = z.strictObject({
  keyId: id,
  roles: z.array(rbacRef).min(1, "must name at least one").max(100),
});

const route = createRoute({
  method: "post",
  path: "/v1/keys.addRoles",
  tags: ["keys"],
  summary: "Give a key roles; those marked `create` are created if missing. The key's next verify sees their permissions.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(request) },
  responses: jsonResponse(rbacRows, "The roles added, by id and name."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { keyId, roles } = c.req.valid("json");
    return c.json(await addToKey(c.env, callerOf(c), "roles", keyId, roles), 200);
  });
}
