import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { bearerHeaders, bearerKey, introspect, refusal } from "../dialects/introspection";
import { komboCheckApiKey, komboCheckApiKeySchema, komboErrorResponses } from "../dialects/kombo";

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

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const result = await introspect(c, bearerKey(c.req.header("authorization")));
    const refused = refusal(result);
    if (refused) throw refused;
    return c.json(komboCheckApiKey(result), 200);
  });
}
