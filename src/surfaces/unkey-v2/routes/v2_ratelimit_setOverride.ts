import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { duration, overrideSetting } from "../../../schemas";
import { setOverride } from "../../../services/overrides";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";
import { namespaceIdOrName } from "./v2_ratelimit_limit";

/** Unlike a limit given to ratelimit.limit, an override may be 0: it then refuses every request. */
const overrideLimit = z
  .number()
  .int("must be a whole number")
  .min(0, "must not be negative")
  .max(1_000_000_000)
  .openapi({ description: "Requests allowed per window; 0 refuses all of them." });

const request = z
  .strictObject({
    namespace: namespaceIdOrName.openapi({ description: "The namespace's name or id; it must exist (its first ratelimit.limit creates it)." }),
    identifier: overrideSetting.shape.identifier,
    limit: overrideLimit,
    duration,
  })
  .openapi("V2RatelimitSetOverrideRequest");

const route = v2Operation({
  path: "/v2/ratelimit.setOverride",
  tags: ["ratelimit"],
  summary: "Give an identifier (or a `*` pattern) its own limit and duration in a namespace, replacing any previous one.",
  description: "ratelimit.limit applies it from the next call on. Needs `ratelimit.*.set_override` or `ratelimit.<namespaceId>.set_override`.",
  request: { body: jsonBody(request) },
  responses: v2Response(z.object({ overrideId: z.string() }).openapi("V2RatelimitSetOverrideResponseData"), "Set; replacing an override keeps its id."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { namespace, ...setting } = c.req.valid("json");
    return c.json(v2Data(c, await setOverride(c.env, c.var.caller, { idOrName: namespace, ...setting })), 200);
  });
}
