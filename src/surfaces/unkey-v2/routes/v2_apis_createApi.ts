import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { newApi } from "../../../schemas";
import { createApi } from "../../../services/apis";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

const request = z
  .strictObject({
    name: newApi.shape.name,
    // Keygate's own, beyond Unkey v2.
    ipAllowlist: newApi.shape.ipAllowlist,
    keyPrefixes: newApi.shape.keyPrefixes,
    verifyMaxStalenessMs: newApi.shape.verifyMaxStalenessMs,
  })
  .openapi("V2ApisCreateApiRequest");

const route = v2Operation({
  path: "/v2/apis.createApi",
  tags: ["apis"],
  summary: "Create an api: a namespace for keys.",
  description: "Needs `api.*.create_api`.",
  request: { body: jsonBody(request) },
  responses: v2Response(z.object({ apiId: z.string() }).openapi("V2ApisCreateApiResponseData"), "The new api's id."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(v2Data(c, await createApi(c.env, c.var.caller, c.req.valid("json"))), 200));
}
