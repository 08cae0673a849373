import { createRoute } from "@hono/zod-openapi";
import { bearerHeaders, bearerKey, introspect, refusal } from "../introspection";
import { createSurface, refuseOtherMethods } from "../surface";
import { komboCheckApiKey, komboCheckApiKeySchema, komboError, komboErrorResponses } from "./envelope";

const route = createRoute({
  method: "get",
  path: "/v1/check-api-key",
  tags: ["kombo"],
  summary: "Kombo: check that the Bearer key works, and name its environment. Spends no credits.",
  request: { headers: bearerHeaders },
  responses: {
    200: { description: "The key is valid.", content: { "application/json": { schema: komboCheckApiKeySchema } } },
    ...komboErrorResponses,
  },
});

/** Kombo's introspection route, in Kombo's envelopes. */
export const kombo = createSurface(komboError, ["/v1/check-api-key"]);
kombo.openapi(route, async (c) => {
  const result = await introspect(c, bearerKey(c.req.header("authorization")));
  const refused = refusal(result);
  if (refused) throw refused;
  return c.json(komboCheckApiKey(result), 200);
});
refuseOtherMethods(kombo);
