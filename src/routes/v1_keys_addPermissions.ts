import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { addToKey } from "../services/keyRbac";
import { id, jsonBody, jsonResponse, rbacRef, rbacRows } from "./schemas";

const request = z.strictObject({
  keyId: id,
  permissions: z.array(rbacRef).min(1, "must name at least one").max(1000),
});

const route = createRoute({
  method: "post",
  path: "/v1/keys.addPermissions",
  tags: ["keys"],
  summary: "Give a key permissions; those marked `create` are created if missing. The key's next verify sees them.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(request) },
  responses: jsonResponse(rbacRows, "The permissions added, by id and name."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { keyId, permissions } = c.req.valid("json");
    return c.json(await addToKey(c.env, callerOf(c), "permissions", keyId, permissions), 200);
  });
}
