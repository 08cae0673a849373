import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { setOnKey } from "../services/keyRbac";
import { id, jsonBody, jsonResponse, rbacRef, rbacRows } from "./schemas";

const request = z.strictObject({
  keyId: id,
  permissions: z.array(rbacRef).max(1000),
});

const route = createRoute({
  method: "post",
  path: "/v1/keys.setPermissions",
  tags: ["keys"],
  summary: "Replace a key's direct permissions; its next verify sees exactly these.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(request) },
  responses: jsonResponse(rbacRows, "The permissions now held, by id and name."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { keyId, permissions } = c.req.valid("json");
    return c.json(await setOnKey(c.env, callerOf(c), "permissions", keyId, permissions), 200);
  });
}
