import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { getIdentity } from "../../../services/identities";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";
import { identityData, identityRef } from "./v2_identities_resources";

const request = z.strictObject({ identity: identityRef }).openapi("V2IdentitiesGetIdentityRequest");

const route = v2Operation({
  path: "/v2/identities.getIdentity",
  tags: ["identities"],
  summary: "Read an identity, by id or externalId.",
  description: "Needs `identity.*.read_identity`.",
  request: { body: jsonBody(request) },
  responses: v2Response(identityData, "The identity."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(v2Data(c, await getIdentity(c.env, c.var.caller, c.req.valid("json"))), 200));
}
