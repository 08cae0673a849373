import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { deleteIdentity } from "../../../services/identities";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2ErrorResponses } from "../schemas";
import { identityRef } from "./v2_identities_resources";

const request = z.strictObject({ identity: identityRef }).openapi("V2IdentitiesDeleteIdentityRequest");

// Unlike the other deletes, Unkey v2 answers this one with `meta` alone.
const deleted = z.object({ meta: z.object({ requestId: z.string() }) }).openapi("V2IdentitiesDeleteIdentityResponse");

const route = v2Operation({
  path: "/v2/identities.deleteIdentity",
  tags: ["identities"],
  summary: "Delete an identity. Its keys keep working, without its limits and meta.",
  description: "Needs `identity.*.delete_identity`.",
  request: { body: jsonBody(request) },
  responses: { 200: { description: "Deleted.", content: { "application/json": { schema: deleted } } }, ...v2ErrorResponses },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await deleteIdentity(c.env, c.var.caller, c.req.valid("json"));
    return c.json({ meta: { requestId: c.get("requestId") } }, 200);
  });
}
