import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { deleteIdentity } from "../services/identities";
import { id, jsonBody, jsonResponse } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/identities.deleteIdentity",
  tags: ["identities"],
  summary: "Delete an identity. Its keys keep working, without its limits and meta.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(z.strictObject({ identityId: id })) },
  responses: jsonResponse(z.object({}), "Deleted."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await deleteIdentity(c.env, callerOf(c), c.req.valid("json").identityId);
    return c.json({}, 200);
  });
}
