import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { keyReroll } from "../../../schemas";
import { rerollKey } from "../../../services/keys/lifecycle";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

const request = z
  .strictObject({
    keyId: keyReroll.shape.keyId,
    expiration: keyReroll.shape.expiration.unwrap().openapi({ description: "How long the old key keeps working, in ms; 0 ends it at once." }),
  })
  .openapi("V2KeysRerollKeyRequest");

const route = v2Operation({
  path: "/v2/keys.rerollKey",
  tags: ["keys"],
  summary: "Rotate a key with overlap: a new key with the same settings and credits; the old one expires after `expiration` ms.",
  request: { body: jsonBody(request) },
  responses: v2Response(
    z.object({ keyId: z.string(), key: z.string() }).openapi("V2KeysRerollKeyResponseData"),
    "The new key; its plaintext is shown only here.",
  ),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(v2Data(c, await rerollKey(c.env, c.var.caller, c.req.valid("json"))), 200));
}
