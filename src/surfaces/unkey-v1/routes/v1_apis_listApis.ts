import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { listApis } from "../../../services/apis";
import { managementRoute } from "../route";
import { jsonResponse, pageQuery } from "../schemas";

const route = managementRoute({
  method: "get",
  path: "/v1/apis.listApis",
  tags: ["apis"],
  summary: "List the workspace's apis that the root key may read, a page at a time.",
  description:
    "Needs `api.*.read_api`, or `api.<apiId>.read_api` for the apis to list: the others are left out, so a page may hold fewer than `limit`. Follow `cursor` until it is absent.",
  request: { query: z.object(pageQuery) },
  responses: jsonResponse(
    z.object({
      apis: z.array(
        z.object({
          id: z.string(),
          workspaceId: z.string(),
          name: z.string().optional(),
          ipAllowlist: z.array(z.string()),
          keyPrefixes: z.record(z.string(), z.string()),
          verifyMaxStalenessMs: z.number().nullable(),
        }),
      ),
      cursor: z.string().optional(),
    }),
    "A page of apis; pass `cursor` to get the next.",
  ),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await listApis(c.env, c.var.caller, c.req.valid("query")), 200));
}
