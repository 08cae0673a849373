import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { environment, namedLimit } from "../../../schemas";
import { listIdentities } from "../../../services/identities";
import { managementRoute } from "../route";
import { jsonResponse, pageQuery } from "../schemas";

const route = managementRoute({
  method: "get",
  path: "/v1/identities.listIdentities",
  tags: ["identities"],
  summary: "List the workspace's identities, a page at a time.",
  request: { query: z.object({ ...pageQuery, environment: environment.optional() }) },
  responses: jsonResponse(
    z.object({
      identities: z.array(z.object({ id: z.string(), externalId: z.string(), ratelimits: z.array(namedLimit) })),
      cursor: z.string().optional(),
      total: z.number(),
    }),
    "A page of identities; pass `cursor` to get the next.",
  ),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await listIdentities(c.env, c.var.caller, c.req.valid("query")), 200));
}
