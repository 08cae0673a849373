import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { listOverrides } from "../../../services/overrides";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { pageRequest, v2Page, v2PageResponse } from "../schemas";
import { toV2Override, v2Override } from "./v2_ratelimit_getOverride";
import { namespaceIdOrName } from "./v2_ratelimit_limit";

const request = z
  .strictObject({
    namespace: namespaceIdOrName.openapi({ description: "The namespace's name or id." }),
    cursor: pageRequest.cursor,
    limit: z.number().int().min(1).max(100).default(10).openapi({ description: "Overrides per page, up to 100 (default 10, as Unkey)." }),
  })
  .openapi("V2RatelimitListOverridesRequest");

const route = v2Operation({
  path: "/v2/ratelimit.listOverrides",
  tags: ["ratelimit"],
  summary: "List a namespace's overrides, a page at a time.",
  description: "Needs `ratelimit.*.read_override` or `ratelimit.<namespaceId>.read_override`.",
  request: { body: jsonBody(request) },
  responses: v2PageResponse(v2Override, "A page of overrides; pass `pagination.cursor` back for the next."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { namespace, ...page } = c.req.valid("json");
    const { overrides, cursor } = await listOverrides(c.env, c.var.caller, { idOrName: namespace, ...page });
    return c.json(v2Page(c, overrides.map(toV2Override), cursor), 200);
  });
}
