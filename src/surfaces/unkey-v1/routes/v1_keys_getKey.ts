import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id } from "../../../schemas";
import { getKey } from "../../../services/keys/read";
import { managementRoute } from "../route";
import { jsonResponse, keySchema } from "../schemas";

const route = managementRoute({
  method: "get",
  path: "/v1/keys.getKey",
  tags: ["keys"],
  summary: "Read a key (never its plaintext).",
  request: { query: z.object({ keyId: id, decrypt: z.enum(["true", "false"]).optional() }) },
  responses: jsonResponse(keySchema, "The key."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await getKey(c.env, c.var.caller, c.req.valid("query").keyId), 200));
}
