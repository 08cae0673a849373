import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { newApi } from "../../../schemas";
import { createApi } from "../../../services/apis";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse } from "../schemas";

const route = managementRoute({
  method: "post",
  path: "/v1/apis.createApi",
  tags: ["apis"],
  summary: "Create an api: a namespace for keys.",
  request: { body: jsonBody(newApi) },
  responses: jsonResponse(z.object({ apiId: z.string() }), "The new api's id."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createApi(c.env, c.var.caller, c.req.valid("json")), 200));
}
