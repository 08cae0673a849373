import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { keyRevocation } from "../../../schemas";
import { revokeKey } from "../../../services/keys/lifecycle";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

const route = v2Operation({
  path: "/v2/keys.revokeKey",
  tags: ["keys"],
  summary: "Revoke a key (Keygate's own operation): irreversible, effective at once everywhere; it stays listed with its reason.",
  description: "Revoking a key again changes nothing. keys.getKey shows `revokedAt` and `revokeReason`.",
  request: { body: jsonBody(keyRevocation.openapi("V2KeysRevokeKeyRequest")) },
  responses: v2Response(z.object({}), "Revoked."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await revokeKey(c.env, c.var.caller, c.req.valid("json"));
    return c.json(v2Data(c, {}), 200);
  });
}
