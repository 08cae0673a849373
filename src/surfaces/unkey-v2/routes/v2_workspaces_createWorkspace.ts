import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { displayName } from "../../../schemas";
import { createWorkspace } from "../../../services/tenancy";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

const route = v2Operation({
  path: "/v2/workspaces.createWorkspace",
  tags: ["workspaces"],
  summary: "Keygate's own: create a workspace (bootstrap ROOT_KEY only). Give it root keys with rootKeys.createRootKey.",
  request: { body: jsonBody(z.strictObject({ name: displayName() }).openapi("V2WorkspacesCreateWorkspaceRequest")) },
  responses: v2Response(z.object({ workspaceId: z.string() }).openapi("V2WorkspacesCreateWorkspaceResponseData"), "The new workspace."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(v2Data(c, await createWorkspace(c.env, c.var.caller, c.req.valid("json").name)), 200));
}
