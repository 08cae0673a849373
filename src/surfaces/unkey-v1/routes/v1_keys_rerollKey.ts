import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { keyReroll } from "../../../schemas";
import { rerollKey } from "../../../services/keys/lifecycle";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse } from "../schemas";

const route = managementRoute({
  method: "post",
  path: "/v1/keys.rerollKey",
  tags: ["keys"],
  summary: "Rotate a key with overlap: a new key with the same settings; the old one expires after `expiration` ms.",
  request: { body: jsonBody(keyReroll) },
  responses: jsonResponse(z.object({ keyId: z.string(), key: z.string() }), "The new key; its plaintext is shown only here."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await rerollKey(c.env, c.var.caller, c.req.valid("json")), 200));
}
