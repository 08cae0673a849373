import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id } from "../../../schemas";
import { getApi } from "../../../services/apis";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

const request = z.strictObject({ apiId: id }).openapi("V2ApisGetApiRequest");

const api = z
  .object({
    id: z.string(),
    name: z.string(),
    // Keygate's own, beyond Unkey v2.
    workspaceId: z.string(),
    ipAllowlist: z.array(z.string()),
    keyPrefixes: z.record(z.string(), z.string()),
    verifyMaxStalenessMs: z.number().nullable().openapi({ description: "Edge mode's bound for this api's keys; null = the deployment's." }),
  })
  .openapi("V2ApisGetApiResponseData");

const route = v2Operation({
  path: "/v2/apis.getApi",
  tags: ["apis"],
  summary: "Read an api.",
  description: "Needs `api.*.read_api` or `api.<apiId>.read_api`.",
  request: { body: jsonBody(request) },
  responses: v2Response(api, "The api."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(v2Data(c, await getApi(c.env, c.var.caller, c.req.valid("json").apiId)), 200));
}
