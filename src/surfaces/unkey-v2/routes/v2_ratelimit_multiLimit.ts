import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { applyLimits } from "../../../services/ratelimits";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";
import { limitCheck } from "./v2_ratelimit_limit";

/** Each check is a Durable Object call; 100 keeps one request's work bounded, as Unkey does. */
const MAX_CHECKS = 100;

const request = z.array(limitCheck).min(1).max(MAX_CHECKS).openapi("V2RatelimitMultiLimitRequest");

const checkAnswer = z
  .object({
    namespace: z.string().openapi({ description: "As the check gave it." }),
    identifier: z.string(),
    limit: z.number(),
    remaining: z.number(),
    reset: z.number(),
    passed: z.boolean().openapi({ description: "Whether this check admitted its request." }),
    overrideId: z.string().optional(),
  })
  .openapi("V2RatelimitMultiLimitCheck");

const response = z
  .object({
    passed: z.boolean().openapi({ description: "Whether every check passed." }),
    limits: z.array(checkAnswer).openapi({ description: "One answer per check, in the order given." }),
  })
  .openapi("V2RatelimitMultiLimitResponseData");

const route = v2Operation({
  path: "/v2/ratelimit.multiLimit",
  tags: ["ratelimit"],
  summary: "Count a request against several limits at once; `passed` says whether all admitted it.",
  description:
    "The body is a list of ratelimit.limit checks. As in Unkey, each check is counted on its own: one check's refusal does not keep the others from counting the request. Nothing is counted unless the root key may limit in every namespace named (`ratelimit.*.limit`, or each namespace's `ratelimit.<namespaceId>.limit`).",
  request: { body: jsonBody(request) },
  responses: v2Response(response, "The answer of each check."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const checks = c.req.valid("json");
    const answers = await applyLimits(c.env, c.var.caller, checks);
    const limits = answers.map(({ success, ...answer }, i) => ({
      namespace: checks[i]!.namespace,
      identifier: checks[i]!.identifier,
      ...answer,
      passed: success,
    }));
    return c.json(v2Data(c, { passed: limits.every((check) => check.passed), limits }), 200);
  });
}
