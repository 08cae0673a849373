import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { listRootKeys } from "../../../services/tenancy";
import { managementRoute } from "../route";
import { jsonResponse } from "../schemas";

const route = managementRoute({
  method: "get",
  path: "/v1/rootKeys.listRootKeys",
  tags: ["rootKeys"],
  summary: "List the workspace's root keys (never their plaintext).",
  responses: jsonResponse(
    z.object({
      rootKeys: z.array(
        z.object({
          id: z.string(),
          name: z.string().optional(),
          start: z.string(),
          permissions: z.array(z.string()),
          createdAt: z.number(),
          expires: z.number().optional(),
          createdBy: z.string().nullable().openapi({
            description: "The id of the root key that created this one (`root_bootstrap` for the ROOT_KEY); null if created before Keygate recorded it.",
          }),
        }),
      ),
    }),
    "The root keys.",
  ),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await listRootKeys(c.env, c.var.caller), 200));
}
