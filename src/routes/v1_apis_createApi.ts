import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { createApi } from "../services/apis";
import { displayName, ipAllowlist, jsonBody, jsonResponse, keyPrefixes } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/apis.createApi",
  tags: ["apis"],
  summary: "Create an api: a namespace for keys.",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(z.strictObject({ name: displayName(), ipAllowlist: ipAllowlist.optional(), keyPrefixes: keyPrefixes.optional() })) },
  responses: jsonResponse(z.object({ apiId: z.string() }), "The new api's id."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createApi(c.env, callerOf(c), c.req.valid("json")), 200));
}
