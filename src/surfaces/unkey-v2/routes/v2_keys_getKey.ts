import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id } from "../../../schemas";
import { getKey } from "../../../services/keys/read";
import { jsonBody } from "../../surface";
import { toV2Key, v2Key } from "../resources";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

const request = z
  .strictObject({
    keyId: id,
    decrypt: z.boolean().optional().openapi({
      description: "Accepted for compatibility and ignored, as keys.getKey of Unkey v1 does: Keygate stores only key hashes, so no plaintext is ever returned.",
    }),
  })
  .openapi("V2KeysGetKeyRequest");

const route = v2Operation({
  path: "/v2/keys.getKey",
  tags: ["keys"],
  summary: "Read a key (never its plaintext).",
  request: { body: jsonBody(request) },
  responses: v2Response(v2Key, "The key."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(v2Data(c, toV2Key(await getKey(c.env, c.var.caller, c.req.valid("json").keyId))), 200));
}
