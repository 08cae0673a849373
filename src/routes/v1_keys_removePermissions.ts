import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { removeFromKey } from "../services/keyRbac";
import { id, jsonBody, jsonResponse, rbacRef } from "./schemas";

const request = z.strictObject({
  keyId: id,
  permissions: z.array(rbacRef.omit({ create: true })).min(1, "must name at least one").max(1000),
});

const route = createRoute({
  method: "post",
  path: "/v1/keys.removePermissions",
  tags: ["keys"],
  summary: "Take direct permissions from a key; its next verify no longer has them.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(request) },
  responses: jsonResponse(z.object({}), "Removed."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { keyId, permissions } = c.req.valid("json");
    await removeFromKey(c.env, callerOf(c), "permissions", keyId, permissions);
    return c.json({}, 200);
  });
}
