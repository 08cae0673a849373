import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { describeCallerRootKey } from "../../../services/tenancy";
import { managementRoute } from "../route";
import { jsonResponse } from "../schemas";

const route = managementRoute({
  method: "get",
  path: "/v1/rootKeys.whoami",
  tags: ["rootKeys"],
  summary: "The root key making the call: its id, name, workspace, permissions and expiry.",
  description: "Needs no permission: any valid root key may ask about itself, so a client can offer only what the key may do.",
  responses: jsonResponse(
    z.object({
      id: z.string().openapi({ description: "`root_bootstrap` for the ROOT_KEY variable." }),
      name: z.string().optional(),
      workspaceId: z.string(),
      permissions: z.array(z.string()).openapi({ description: "Permission patterns; `*` matches any characters, and `*` alone grants everything." }),
      expires: z.number().optional().openapi({ description: "Unix ms; absent for a root key that never expires." }),
    }),
    "The calling root key.",
  ),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await describeCallerRootKey(c.env, c.var.caller), 200));
}
