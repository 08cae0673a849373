import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id } from "../../../schemas";
import { listKeys } from "../../../services/keys/read";
import { managementRoute } from "../route";
import { jsonResponse, keySchema, pageQuery } from "../schemas";

const route = managementRoute({
  method: "get",
  path: "/v1/apis.listKeys",
  tags: ["apis"],
  summary: "List an api's keys, a page at a time.",
  request: {
    query: z.object({
      apiId: id,
      ...pageQuery,
      ownerId: z.string().max(256).optional(),
      externalId: z.string().max(256).optional(),
      decrypt: z.enum(["true", "false"]).optional(),
      revalidateKeysCache: z.enum(["true", "false"]).optional(),
    }),
  },
  responses: jsonResponse(
    z.object({ keys: z.array(keySchema), cursor: z.string().optional(), total: z.number() }),
    "A page of keys; pass `cursor` to get the next.",
  ),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await listKeys(c.env, c.var.caller, c.req.valid("query")), 200));
}
