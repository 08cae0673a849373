import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { identityUpdate } from "../../../schemas";
import { updateIdentity } from "../../../services/identities";
import { managementRoute } from "../route";
import { identitySchema, jsonBody, jsonResponse } from "../schemas";

const route = managementRoute({
  method: "post",
  path: "/v1/identities.updateIdentity",
  tags: ["identities"],
  summary: "Change an identity. Returns once every verify of its keys sees the change.",
  request: { body: jsonBody(identityUpdate) },
  responses: jsonResponse(identitySchema, "The identity as updated."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { environment: _environment, ...input } = c.req.valid("json");
    return c.json(await updateIdentity(c.env, c.var.caller, input), 200);
  });
}
