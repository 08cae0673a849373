import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { externalId, id } from "../../../schemas";
import { listKeys } from "../../../services/keys/read";
import { jsonBody } from "../../surface";
import { toV2Key, v2Key } from "../resources";
import { v2Operation } from "../route";
import { pageRequest, v2Page, v2PageResponse } from "../schemas";

const request = z
  .strictObject({
    apiId: id,
    ...pageRequest,
    externalId: externalId.optional().openapi({ description: "Only the keys of the identity with this externalId." }),
    decrypt: z
      .boolean()
      .optional()
      .openapi({ description: "Accepted for compatibility and ignored: Keygate stores only key hashes, so no plaintext is ever returned." }),
    revalidateKeysCache: z.boolean().optional().openapi({ description: "Accepted for compatibility and ignored: keys are always listed from the database." }),
  })
  .openapi("V2ApisListKeysRequest");

const route = v2Operation({
  path: "/v2/apis.listKeys",
  tags: ["apis"],
  summary: "List an api's keys, a page at a time.",
  description: "Needs `api.*.read_key` or `api.<apiId>.read_key`. Follow `pagination.cursor` while `hasMore` is true.",
  request: { body: jsonBody(request) },
  responses: v2PageResponse(v2Key, "A page of keys."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { decrypt: _noPlaintexts, revalidateKeysCache: _alwaysFresh, ...query } = c.req.valid("json");
    const { keys, cursor } = await listKeys(c.env, c.var.caller, query);
    return c.json(v2Page(c, keys.map(toV2Key), cursor), 200);
  });
}
