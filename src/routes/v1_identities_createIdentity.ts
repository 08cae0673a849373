import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { createIdentity } from "../services/identities";
import { displayName, jsonBody, jsonResponse, meta, namedLimits } from "./schemas";

const request = z.strictObject({
  externalId: displayName(),
  meta: meta.optional(),
  ratelimits: namedLimits.optional().openapi({ description: "Limits shared by all keys of the identity." }),
  tier: z.string().min(1).max(64).optional(),
});

const route = createRoute({
  method: "post",
  path: "/v1/identities.createIdentity",
  tags: ["identities"],
  summary: "Create an identity: one user or organisation, whose keys share its limits and meta.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(request) },
  responses: jsonResponse(z.object({ identityId: z.string() }), "Created."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createIdentity(c.env, callerOf(c), c.req.valid("json")), 200));
}
