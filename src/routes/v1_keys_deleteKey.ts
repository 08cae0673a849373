import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { deleteKey } from "../services/keys";
import { id, jsonBody, jsonResponse } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/keys.deleteKey",
  tags: ["keys"],
  summary: "Delete a key; it fails its very next verify.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(z.strictObject({ keyId: id, permanent: z.boolean().optional() })) },
  responses: jsonResponse(z.object({}), "Deleted."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { keyId, permanent } = c.req.valid("json");
    await deleteKey(c.env, callerOf(c), keyId, permanent);
    return c.json({}, 200);
  });
}
