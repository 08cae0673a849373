import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id } from "../../../schemas";
import { deleteApi } from "../../../services/apis";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

const request = z.strictObject({ apiId: id }).openapi("V2ApisDeleteApiRequest");

const route = v2Operation({
  path: "/v2/apis.deleteApi",
  tags: ["apis"],
  summary: "Delete an api and all its keys; they fail their very next verify.",
  description: "Needs `api.*.delete_api` or `api.<apiId>.delete_api`.",
  request: { body: jsonBody(request) },
  responses: v2Response(z.object({}), "Deleted."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await deleteApi(c.env, c.var.caller, c.req.valid("json").apiId);
    return c.json(v2Data(c, {}), 200);
  });
}
