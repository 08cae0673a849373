import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { getRole } from "../services/roles";
import { id, jsonResponse, roleSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/permissions.getRole",
  tags: ["permissions"],
  summary: "Read a role and the names of the permissions it grants.",
  middleware: [requireRootKey()] as const,
  request: { query: z.object({ roleId: id }) },
  responses: jsonResponse(roleSchema.extend({ permissions: z.array(z.string()) }), "The role."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await getRole(c.env, callerOf(c), c.req.valid("query").roleId), 200));
}
