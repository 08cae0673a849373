import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { newRootKey } from "../../../schemas";
import { createRootKey } from "../../../services/tenancy";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

const route = v2Operation({
  path: "/v2/rootKeys.createRootKey",
  tags: ["rootKeys"],
  summary: "Keygate's own: create a root key for management calls; the plaintext is in this answer only.",
  description:
    "Needs `root_key.*.create_root_key`. A root key grants only permissions it holds itself, cannot create one that outlives it, and acts only in its own workspace (the bootstrap ROOT_KEY may name another).",
  request: { body: jsonBody(newRootKey.openapi("V2RootKeysCreateRootKeyRequest")) },
  responses: v2Response(z.object({ keyId: z.string(), key: z.string() }).openapi("V2RootKeysCreateRootKeyResponseData"), "The new root key."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(v2Data(c, await createRootKey(c.env, c.var.caller, c.req.valid("json"))), 200));
}
