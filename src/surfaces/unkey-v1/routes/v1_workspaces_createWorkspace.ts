import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { displayName } from "../../../schemas";
import { createWorkspace } from "../../../services/tenancy";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse } from "../schemas";

const route = managementRoute({
  method: "post",
  path: "/v1/workspaces.createWorkspace",
  tags: ["workspaces"],
  summary: "Create a workspace (bootstrap ROOT_KEY only). Give it root keys with rootKeys.createRootKey.",
  request: { body: jsonBody(z.strictObject({ name: displayName() })) },
  responses: jsonResponse(z.object({ workspaceId: z.string() }), "The new workspace."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createWorkspace(c.env, c.var.caller, c.req.valid("json").name), 200));
}
