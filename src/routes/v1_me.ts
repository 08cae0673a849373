import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import { bearerHeaders, bearerKey, introspect, refusal } from "../dialects/introspection";
import { kirimErrorResponses, kirimMe, kirimMeSchema } from "../dialects/kirim";
import { workspaceName } from "../store/workspaces";

const route = createRoute({
  method: "get",
  path: "/v1/me",
  tags: ["kirim"],
  summary: "Kirim: the organization, key and rate limits behind the Bearer key. Spends no credits.",
  request: { headers: bearerHeaders },
  responses: {
    200: { description: "The key's context.", content: { "application/json": { schema: kirimMeSchema } } },
    ...kirimErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const result = await introspect(c, bearerKey(c.req.header("authorization")));
    const refused = refusal(result);
    if (refused) throw refused;
    const organizationName = await workspaceName(c.env, result.workspaceId!);
    return c.json(kirimMe(result, organizationName, c.get("requestId")), 200);
  });
}
