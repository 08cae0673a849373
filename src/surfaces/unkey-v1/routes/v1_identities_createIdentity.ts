import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { newIdentity } from "../../../schemas";
import { createIdentity } from "../../../services/identities";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse } from "../schemas";

const route = managementRoute({
  method: "post",
  path: "/v1/identities.createIdentity",
  tags: ["identities"],
  summary: "Create an identity: one user or organisation, whose keys share its limits and meta.",
  request: { body: jsonBody(newIdentity) },
  responses: jsonResponse(z.object({ identityId: z.string() }), "Created."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createIdentity(c.env, c.var.caller, c.req.valid("json")), 200));
}
