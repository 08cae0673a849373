import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { callerOf } from "../auth/caller";
import { requireRootKey } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { revokeKey } from "../services/keyLifecycle";
import { id, jsonBody, jsonResponse } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/v1/keys.revokeKey",
  tags: ["keys"],
  summary: "Revoke a key: irreversible, effective at once everywhere (verify answers DISABLED).",
  middleware: [requireRootKey()] as const,
  request: { body: jsonBody(z.strictObject({ keyId: id, reason: z.string().min(1).max(512).optional() })) },
  responses: jsonResponse(
    z.object({ keyId: z.string(), revokedAt: z.number(), reason: z.string().optional() }),
    "Revoked (revoking again answers the first revocation).",
  ),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await revokeKey(c.env, callerOf(c), c.req.valid("json")), 200));
}
