import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { getIdentity } from "../services/identities";
import { externalId, id, identitySchema, jsonResponse } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/identities.getIdentity",
  tags: ["identities"],
  summary: "Read an identity by identityId or externalId.",
  middleware: [requireRootKey()] as const,
  request: { query: z.object({ identityId: id.optional(), externalId: externalId.optional() }) },
  responses: jsonResponse(identitySchema, "The identity."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await getIdentity(c.env, callerOf(c), c.req.valid("query")), 200));
}
