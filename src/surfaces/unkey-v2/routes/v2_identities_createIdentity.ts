import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { newIdentity } from "../../../schemas";
import { createIdentity } from "../../../services/identities";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

const request = z
  .strictObject({
    externalId: newIdentity.shape.externalId.openapi({ description: "Your id for the user or organisation; unique in the workspace." }),
    meta: newIdentity.shape.meta,
    ratelimits: newIdentity.shape.ratelimits,
    // Keygate's own, beyond Unkey v2.
    tier: newIdentity.shape.tier,
  })
  .openapi("V2IdentitiesCreateIdentityRequest");

const route = v2Operation({
  path: "/v2/identities.createIdentity",
  tags: ["identities"],
  summary: "Create an identity: one user or organisation, whose keys share its limits and meta.",
  description: "Needs `identity.*.create_identity`. An externalId already in use is a 409.",
  request: { body: jsonBody(request) },
  responses: v2Response(z.object({ identityId: z.string() }).openapi("V2IdentitiesCreateIdentityResponseData"), "The new identity's id."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(v2Data(c, await createIdentity(c.env, c.var.caller, c.req.valid("json"))), 200));
}
