import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { managementRoute } from "../route";
import type { AppEnv } from "../../../env";
import { getIdentity } from "../../../services/identities";
import { externalId, id } from "../../../schemas";
import { identitySchema, jsonResponse } from "../schemas";

const route = managementRoute({
  method: "get",
  path: "/v1/identities.getIdentity",
  tags: ["identities"],
  summary: "Read an identity by identityId or externalId.",
  request: { query: z.object({ identityId: id.optional(), externalId: externalId.optional() }) },
  responses: jsonResponse(identitySchema, "The identity."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await getIdentity(c.env, c.var.caller, c.req.valid("query")), 200));
}
