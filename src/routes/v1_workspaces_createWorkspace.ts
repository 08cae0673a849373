import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { createWorkspace } from "../services/tenancy";
import { displayName, jsonBody, jsonResponse } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/workspaces.createWorkspace",
  tags: ["workspaces"],
  summary: "Create a workspace (bootstrap ROOT_KEY only). Give it root keys with rootKeys.createRootKey.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(z.strictObject({ name: displayName() })) },
  responses: jsonResponse(z.object({ workspaceId: z.string() }), "The new workspace."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createWorkspace(c.env, callerOf(c), c.req.valid("json").name), 200));
}
