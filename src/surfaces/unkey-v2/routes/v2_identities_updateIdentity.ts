import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { identityUpdate } from "../../../schemas";
import { updateIdentity } from "../../../services/identities";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";
import { identityData, identityRef } from "./v2_identities_resources";

const request = z
  .strictObject({
    identity: identityRef,
    meta: identityUpdate.shape.meta,
    ratelimits: identityUpdate.shape.ratelimits,
    // Keygate's own, beyond Unkey v2.
    tier: identityUpdate.shape.tier.openapi({ description: "The identity's tier; null removes it." }),
  })
  .openapi("V2IdentitiesUpdateIdentityRequest");

const route = v2Operation({
  path: "/v2/identities.updateIdentity",
  tags: ["identities"],
  summary: "Change an identity. Returns once every verify of its keys sees the change.",
  description: "Only the fields given change; `ratelimits` replaces the whole set. Needs `identity.*.update_identity`.",
  request: { body: jsonBody(request) },
  responses: v2Response(identityData, "The identity as updated."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(v2Data(c, await updateIdentity(c.env, c.var.caller, c.req.valid("json"))), 200));
}
