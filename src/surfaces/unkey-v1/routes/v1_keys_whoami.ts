import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { meta, plaintextKey } from "../../../schemas";
import { whoami } from "../../../services/keys/read";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse } from "../schemas";

const route = managementRoute({
  method: "post",
  path: "/v1/keys.whoami",
  tags: ["keys"],
  summary: "Find the key behind a plaintext, without verifying (or charging) it.",
  request: { body: jsonBody(z.strictObject({ key: plaintextKey })) },
  responses: jsonResponse(
    z.object({
      id: z.string(),
      name: z.string().optional(),
      remaining: z.number().optional(),
      identity: z.object({ id: z.string(), externalId: z.string() }).optional(),
      meta: meta.optional(),
      createdAt: z.number(),
      enabled: z.boolean(),
      environment: z.string().optional(),
    }),
    "The key.",
  ),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await whoami(c.env, c.var.caller, c.req.valid("json").key), 200));
}
