import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { deleteOverride } from "../../../services/overrides";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";
import { namespaceIdOrName } from "./v2_ratelimit_limit";

const request = z
  .strictObject({
    namespace: namespaceIdOrName.openapi({ description: "The namespace's name or id." }),
    identifier: z.string().min(1).max(512).openapi({ description: "Exactly as the override was set, a pattern included." }),
  })
  .openapi("V2RatelimitDeleteOverrideRequest");

const route = v2Operation({
  path: "/v2/ratelimit.deleteOverride",
  tags: ["ratelimit"],
  summary: "Remove an identifier's override; ratelimit.limit uses the limit it is given again.",
  description: "Needs `ratelimit.*.delete_override` or `ratelimit.<namespaceId>.delete_override`.",
  request: { body: jsonBody(request) },
  responses: v2Response(z.object({}).openapi("V2RatelimitDeleteOverrideResponseData"), "Removed."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { namespace, identifier } = c.req.valid("json");
    await deleteOverride(c.env, c.var.caller, { idOrName: namespace, identifier });
    return c.json(v2Data(c, {}), 200);
  });
}
