import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { creditsChange } from "../../../schemas";
import { updateCredits } from "../../../services/keys/credits";
import { jsonBody } from "../../surface";
import { v2Credits } from "../resources";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

const request = z
  .strictObject({
    keyId: creditsChange.shape.keyId,
    operation: creditsChange.shape.op,
    value: creditsChange.shape.value
      .optional()
      .openapi({ description: "For `set`, the new credits (null or omitted: unlimited); for `increment` and `decrement`, how many." }),
  })
  .superRefine(({ operation, value }, ctx) => {
    if (operation !== "set" && (value === null || value === undefined))
      ctx.addIssue({ code: "custom", path: ["value"], message: `${operation} needs a number` });
  })
  .openapi("V2KeysUpdateCreditsRequest");

const route = v2Operation({
  path: "/v2/keys.updateCredits",
  tags: ["keys"],
  summary: "Change a key's credits atomically; answers them after the change.",
  request: { body: jsonBody(request) },
  responses: v2Response(v2Credits, "The key's credits after the change."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { keyId, operation, value } = c.req.valid("json");
    const { remaining, refill } = await updateCredits(c.env, c.var.caller, { keyId, op: operation, value: value ?? null });
    const data = { remaining, refill: refill ? { interval: refill.interval, amount: refill.amount, refillDay: refill.refillDay ?? undefined } : undefined };
    return c.json(v2Data(c, data), 200);
  });
}
