import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { managementRoute } from "../route";
import type { AppEnv } from "../../../env";
import { updateIdentity } from "../../../services/identities";
import { externalId, id, meta, namedLimits } from "../../../schemas";
import { identitySchema, jsonBody, jsonResponse } from "../schemas";

const request = z.strictObject({
  identityId: id.optional(),
  externalId: externalId.optional(),
  environment: z.string().min(1).max(256).optional().openapi({ description: "Accepted for compatibility; identities have one environment." }),
  meta: meta.optional().openapi({ description: "Replaces the identity's meta." }),
  ratelimits: namedLimits.optional().openapi({ description: "Replaces the identity's whole set of limits." }),
  tier: z.string().min(1).max(64).nullable().optional(),
});

const route = managementRoute({
  method: "post",
  path: "/v1/identities.updateIdentity",
  tags: ["identities"],
  summary: "Change an identity. Returns once every verify of its keys sees the change.",
  request: { body: jsonBody(request) },
  responses: jsonResponse(identitySchema, "The identity as updated."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { environment: _environment, ...input } = c.req.valid("json");
    return c.json(await updateIdentity(c.env, c.var.caller, input), 200);
  });
}
