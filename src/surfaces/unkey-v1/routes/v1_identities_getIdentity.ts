import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { externalId, id } from "../../../schemas";
import { getIdentity } from "../../../services/identities";
import { managementRoute } from "../route";
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
