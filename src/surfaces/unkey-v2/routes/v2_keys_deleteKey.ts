import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id } from "../../../schemas";
import { deleteKey } from "../../../services/keys/delete";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

const request = z
  .strictObject({
    keyId: id,
    permanent: z.boolean().optional().openapi({ description: "Remove the key's row too, instead of marking it deleted (default false)." }),
  })
  .openapi("V2KeysDeleteKeyRequest");

const route = v2Operation({
  path: "/v2/keys.deleteKey",
  tags: ["keys"],
  summary: "Delete a key; it fails its very next verify.",
  request: { body: jsonBody(request) },
  responses: v2Response(z.object({}), "Deleted."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { keyId, permanent } = c.req.valid("json");
    await deleteKey(c.env, c.var.caller, keyId, permanent);
    return c.json(v2Data(c, {}), 200);
  });
}
