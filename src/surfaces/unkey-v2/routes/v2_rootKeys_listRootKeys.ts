import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { listRootKeys } from "../../../services/tenancy";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { pageRequest, v2Page, v2PageResponse } from "../schemas";

const rootKey = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    start: z.string(),
    permissions: z.array(z.string()),
    createdAt: z.number(),
    expires: z.number().optional(),
    createdBy: z.string().optional().openapi({
      description: "The id of the root key that created this one (`root_bootstrap` for the ROOT_KEY); absent if created before Keygate recorded it.",
    }),
  })
  .openapi("V2RootKey");

const route = v2Operation({
  path: "/v2/rootKeys.listRootKeys",
  tags: ["rootKeys"],
  summary: "Keygate's own: list the workspace's root keys, oldest first (never their plaintext).",
  description: "Needs `root_key.*.read_root_key`.",
  request: { body: jsonBody(z.strictObject(pageRequest).openapi("V2RootKeysListRootKeysRequest")) },
  responses: v2PageResponse(rootKey, "A page of root keys; pass `pagination.cursor` back for the next."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { rootKeys, cursor } = await listRootKeys(c.env, c.var.caller, c.req.valid("json"));
    const keys = rootKeys.map(({ createdBy, ...key }) => ({ ...key, ...(createdBy !== null ? { createdBy } : {}) }));
    return c.json(v2Page(c, keys, cursor), 200);
  });
}
