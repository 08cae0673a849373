import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { createIdentity } from "../../../services/identities";
import { displayName, meta, namedLimits } from "../../../schemas";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse } from "../schemas";

const request = z.strictObject({
  externalId: displayName(),
  meta: meta.optional(),
  ratelimits: namedLimits.optional().openapi({ description: "Limits shared by all keys of the identity." }),
  tier: z.string().min(1).max(64).optional(),
});

const route = managementRoute({
  method: "post",
  path: "/v1/identities.createIdentity",
  tags: ["identities"],
  summary: "Create an identity: one user or organisation, whose keys share its limits and meta.",
  request: { body: jsonBody(request) },
  responses: jsonResponse(z.object({ identityId: z.string() }), "Created."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createIdentity(c.env, c.var.caller, c.req.valid("json")), 200));
}
