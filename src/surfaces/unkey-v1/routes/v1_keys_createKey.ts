import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { newKey } from "../../../schemas";
import { createKey } from "../../../services/keys/create";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse } from "../schemas";

const route = managementRoute({
  method: "post",
  path: "/v1/keys.createKey",
  tags: ["keys"],
  summary: "Issue a key. The plaintext is in this answer only; Keygate stores its hash.",
  request: { body: jsonBody(newKey) },
  responses: jsonResponse(z.object({ keyId: z.string(), key: z.string() }), "The new key."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createKey(c.env, c.var.caller, c.req.valid("json")), 200));
}
