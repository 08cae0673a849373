import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { namespaceRef } from "../../../schemas";
import { listOverrides } from "../../../services/overrides";
import { managementRoute } from "../route";
import { jsonResponse, overrideSchema, pageQuery } from "../schemas";

const route = managementRoute({
  method: "get",
  path: "/v1/ratelimits.listOverrides",
  tags: ["ratelimits"],
  summary: "List a namespace's overrides, a page at a time.",
  request: { query: z.object({ ...namespaceRef, ...pageQuery }) },
  responses: jsonResponse(
    z.object({ overrides: z.array(overrideSchema), cursor: z.string().optional(), total: z.number() }),
    "A page of overrides; pass `cursor` to get the next.",
  ),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await listOverrides(c.env, c.var.caller, c.req.valid("query")), 200));
}
