import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { plaintextKey } from "../../../schemas";
import { getKey, whoami } from "../../../services/keys/read";
import { jsonBody } from "../../surface";
import { toV2Key, v2Key } from "../resources";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

const request = z.strictObject({ key: plaintextKey }).openapi("V2KeysWhoamiRequest");

const route = v2Operation({
  path: "/v2/keys.whoami",
  tags: ["keys"],
  summary: "Find the key behind a plaintext, without verifying (or charging) it.",
  request: { body: jsonBody(request) },
  responses: v2Response(v2Key, "The key."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const found = await whoami(c.env, c.var.caller, c.req.valid("json").key);
    return c.json(v2Data(c, toV2Key(await getKey(c.env, c.var.caller, found.id))), 200);
  });
}
