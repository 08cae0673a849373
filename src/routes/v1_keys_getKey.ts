import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { getKey } from "../services/keys";
import { id, jsonResponse, keySchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/v1/keys.getKey",
  tags: ["keys"],
  summary: "Read a key (never its plaintext).",
  middleware: [requireRootKey()] as const,
  request: { query: z.object({ keyId: id, decrypt: z.enum(["true", "false"]).optional() }) },
  responses: jsonResponse(keySchema, "The key."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await getKey(c.env, callerOf(c), c.req.valid("query").keyId), 200));
}
