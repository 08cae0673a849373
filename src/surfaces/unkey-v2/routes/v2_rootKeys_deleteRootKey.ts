import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id } from "../../../schemas";
import { deleteRootKey } from "../../../services/tenancy";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

const route = v2Operation({
  path: "/v2/rootKeys.deleteRootKey",
  tags: ["rootKeys"],
  summary: "Keygate's own: delete a root key; its next call is refused.",
  description: "Needs `root_key.*.delete_root_key`. The root keys it created stay valid.",
  request: { body: jsonBody(z.strictObject({ keyId: id }).openapi("V2RootKeysDeleteRootKeyRequest")) },
  responses: v2Response(z.object({}).openapi("V2RootKeysDeleteRootKeyResponseData"), "Deleted."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await deleteRootKey(c.env, c.var.caller, c.req.valid("json").keyId);
    return c.json(v2Data(c, {}), 200);
  });
}
