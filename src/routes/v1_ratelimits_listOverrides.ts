import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { listOverrides } from "../services/overrides";
import { jsonResponse, namespaceRef, overrideSchema, pageQuery } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/ratelimits.listOverrides",
  tags: ["ratelimits"],
  summary: "List a namespace's overrides, a page at a time.",
  middleware: [requireRootKey()] as const,
  request: { query: z.object({ ...namespaceRef, ...pageQuery }) },
  responses: jsonResponse(
    z.object({ overrides: z.array(overrideSchema), cursor: z.string().optional(), total: z.number() }),
    "A page of overrides; pass `cursor` to get the next.",
  ),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await listOverrides(c.env, callerOf(c), c.req.valid("query")), 200));
}
