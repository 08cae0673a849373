import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { deleteApi } from "../services/apis";
import { id, jsonBody, jsonResponse } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/apis.deleteApi",
  tags: ["apis"],
  summary: "Delete an api and all its keys; they fail their very next verify.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(z.strictObject({ apiId: id })) },
  responses: jsonResponse(z.object({}), "Deleted."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await deleteApi(c.env, callerOf(c), c.req.valid("json").apiId);
    return c.json({}, 200);
  });
}
