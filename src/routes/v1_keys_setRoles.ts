import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { setOnKey } from "../services/keyRbac";
import { id, jsonBody, jsonResponse, rbacRef, rbacRows } from "./schemas";

const request = z.strictObject({
  keyId: id,
  roles: z.array(rbacRef).max(100),
});

const route = createRoute({
  method: "post",
  path: "/v1/keys.setRoles",
  tags: ["keys"],
  summary: "Replace a key's roles; its next verify sees exactly these.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(request) },
  responses: jsonResponse(rbacRows, "The roles now held, by id and name."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { keyId, roles } = c.req.valid("json");
    return c.json(await setOnKey(c.env, callerOf(c), "roles", keyId, roles), 200);
  });
}
