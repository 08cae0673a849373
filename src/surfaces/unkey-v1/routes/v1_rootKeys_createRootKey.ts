import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { newRootKey } from "../../../schemas";
import { createRootKey } from "../../../services/tenancy";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse } from "../schemas";

const route = managementRoute({
  method: "post",
  path: "/v1/rootKeys.createRootKey",
  tags: ["rootKeys"],
  summary: "Create a root key for management calls; the plaintext is shown only here.",
  request: { body: jsonBody(newRootKey) },
  responses: jsonResponse(z.object({ keyId: z.string(), key: z.string() }), "The new root key."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createRootKey(c.env, c.var.caller, c.req.valid("json")), 200));
}
