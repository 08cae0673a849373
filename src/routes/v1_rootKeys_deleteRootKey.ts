import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { deleteRootKey } from "../services/tenancy";
import { id, jsonBody, jsonResponse } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/rootKeys.deleteRootKey",
  tags: ["rootKeys"],
  summary: "Delete a root key; its next call is refused.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(z.strictObject({ keyId: id })) },
  responses: jsonResponse(z.object({}), "Deleted."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await deleteRootKey(c.env, callerOf(c), c.req.valid("json").keyId);
    return c.json({}, 200);
  });
}
