import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { listIdentitiesInFull } from "../../../services/identities";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { pageRequest, v2Page, v2PageResponse } from "../schemas";
import { identityData } from "./v2_identities_resources";

const request = z
  .strictObject({
    ...pageRequest,
    search: z.string().min(1).max(256).optional().openapi({ description: "Only identities whose externalId contains this text, ignoring case." }),
  })
  .openapi("V2IdentitiesListIdentitiesRequest");

const route = v2Operation({
  path: "/v2/identities.listIdentities",
  tags: ["identities"],
  summary: "List the workspace's identities, a page at a time.",
  description: "Needs `identity.*.read_identity`. Follow `pagination.cursor` while `hasMore` is true.",
  request: { body: jsonBody(request) },
  responses: v2PageResponse(identityData, "A page of identities."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { limit, cursor, search } = c.req.valid("json");
    const page = await listIdentitiesInFull(c.env, c.var.caller, { limit, cursor, search });
    return c.json(v2Page(c, page.identities, page.cursor), 200);
  });
}
