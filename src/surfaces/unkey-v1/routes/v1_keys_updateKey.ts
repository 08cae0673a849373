import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { keyUpdate } from "../../../schemas";
import { updateKey } from "../../../services/keys/update";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse } from "../schemas";

const route = managementRoute({
  method: "post",
  path: "/v1/keys.updateKey",
  tags: ["keys"],
  summary: "Change a key. Returns once every verify, anywhere, sees the change.",
  request: { body: jsonBody(keyUpdate) },
  responses: jsonResponse(z.object({}), "Updated."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await updateKey(c.env, c.var.caller, c.req.valid("json"));
    return c.json({}, 200);
  });
}
