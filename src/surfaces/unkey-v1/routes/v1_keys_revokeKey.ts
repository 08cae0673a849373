import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { keyRevocation } from "../../../schemas";
import { revokeKey } from "../../../services/keys/lifecycle";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse } from "../schemas";

const route = managementRoute({
  method: "post",
  path: "/v1/keys.revokeKey",
  tags: ["keys"],
  summary: "Revoke a key: irreversible, effective at once everywhere (verify answers DISABLED).",
  request: { body: jsonBody(keyRevocation) },
  responses: jsonResponse(
    z.object({ keyId: z.string(), revokedAt: z.number(), reason: z.string().optional() }),
    "Revoked (revoking again answers the first revocation).",
  ),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await revokeKey(c.env, c.var.caller, c.req.valid("json")), 200));
}
