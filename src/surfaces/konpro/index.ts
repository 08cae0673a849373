import { createRoute, z } from "@hono/zod-openapi";
import { plaintextKey } from "../../schemas";
import { clientAddressHeader, introspect, refusal } from "../introspection";
import { createSurface, refuseOtherMethods } from "../surface";
import { konproError, konproErrorResponses, konproValidation, konproValidationSchema } from "./envelope";

const headers = z.object({
  "x-api-key": plaintextKey.openapi({ description: "The API key to validate.", example: "sk_live_3vQB7B6MrGQZaxCuFg4oh" }),
  "cf-connecting-ip": clientAddressHeader,
});

const route = createRoute({
  method: "post",
  path: "/v1/api-keys/validate",
  tags: ["konpro"],
  summary: "Konpro: is the key in x-api-key valid, and what may it do? No body needed; spends no credits.",
  request: { headers },
  responses: {
    200: {
      description: "The answer: `valid: false` for a key that is unknown, expired, revoked, disabled or refused for this address.",
      content: { "application/json": { schema: konproValidationSchema } },
    },
    ...konproErrorResponses,
  },
});

/** Konpro's introspection route, in Konpro's envelopes. */
export const konpro = createSurface(konproError, ["/v1/api-keys/validate"]);
konpro.openapi(route, async (c) => {
  const result = await introspect(c, c.req.valid("header")["x-api-key"]);
  // A throttled key is still a valid key: say "retry later", not "invalid".
  if (result.code === "RATE_LIMITED") throw refusal(result)!;
  return c.json(konproValidation(result), 200);
});
refuseOtherMethods(konpro);
