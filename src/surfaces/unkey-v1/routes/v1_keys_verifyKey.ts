import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { cost, duration, environment, id, limit, name, permissionQuery, plaintextKey } from "../../../schemas";
import { verifyKey } from "../../../services/verify";
import { verifyAnswer, verifyAnswerSchema } from "../../verifyAnswer";
import { jsonBody, jsonResponse } from "../schemas";

const request = z
  .strictObject({
    apiId: id.optional().openapi({ description: "When set, a key of another api is not valid (`FORBIDDEN`)." }),
    key: plaintextKey.openapi({ example: "sk_1234" }),
    tags: z
      .array(z.string().max(128))
      .max(20)
      .optional()
      .openapi({ description: "Kept with the verification's count: analytics.getVerifications can group and filter by them." }),
    authorization: z.strictObject({ permissions: permissionQuery.nullable().optional() }).optional(),
    remaining: z.strictObject({ cost: cost.optional() }).optional().openapi({ description: "Credits to consume (default 1; 0 = free)." }),
    ratelimit: z.strictObject({ cost: cost.optional() }).optional(),
    ratelimits: z
      .array(z.strictObject({ name, cost: cost.optional(), limit: limit.optional(), duration: duration.optional() }))
      .max(10)
      .optional(),
    environment: environment.optional().openapi({ description: "When set, the key must belong to this environment." }),
  })
  .openapi("V1KeysVerifyKeyRequest");

const route = createRoute({
  method: "post",
  path: "/v1/keys.verifyKey",
  tags: ["keys"],
  summary: "Verify a key: always 200 with `valid` and `code` for any well-formed request.",
  request: { body: jsonBody(request) },
  responses: jsonResponse(verifyAnswerSchema.openapi("V1KeysVerifyKeyResponse"), "The verification result."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const result = await verifyKey(
      c.env,
      {
        key: body.key,
        apiId: body.apiId,
        permissions: body.authorization?.permissions ?? undefined,
        creditCost: body.remaining?.cost ?? 1,
        ratelimitCost: body.ratelimit?.cost ?? 1,
        ratelimits: body.ratelimits,
        environment: body.environment,
        clientIp: c.req.header("cf-connecting-ip"),
        tags: body.tags,
      },
      c.executionCtx,
    );
    return c.json(verifyAnswer(result, c.get("requestId")), 200);
  });
}
