import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id } from "../../../schemas";
import { getApi } from "../../../services/apis";
import { managementRoute } from "../route";
import { jsonResponse } from "../schemas";

const route = managementRoute({
  method: "get",
  path: "/v1/apis.getApi",
  tags: ["apis"],
  summary: "Read an api.",
  request: { query: z.object({ apiId: id }) },
  responses: jsonResponse(
    z.object({
      id: z.string(),
      workspaceId: z.string(),
      name: z.string().optional(),
      ipAllowlist: z.array(z.string()),
      keyPrefixes: z.record(z.string(), z.string()),
      verifyMaxStalenessMs: z.number().nullable().openapi({ description: "Edge mode's bound for this api's keys; null = the deployment's." }),
    }),
    "The api.",
  ),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await getApi(c.env, c.var.caller, c.req.valid("query").apiId), 200));
}
