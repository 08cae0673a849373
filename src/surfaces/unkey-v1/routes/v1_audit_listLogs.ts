import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id } from "../../../schemas";
import { listLogs } from "../../../services/audit";
import { managementRoute } from "../route";
import { jsonResponse, pageQuery } from "../schemas";

const route = managementRoute({
  method: "get",
  path: "/v1/audit.listLogs",
  tags: ["audit"],
  summary: "The workspace's append-only audit trail, newest first.",
  request: {
    query: z.object({
      keyId: id.optional(),
      apiId: id.optional(),
      event: z.string().max(64).optional().openapi({ example: "key.revoke" }),
      since: z.coerce.number().int().min(0).optional(),
      until: z.coerce.number().int().min(0).optional(),
      ...pageQuery,
    }),
  },
  responses: jsonResponse(
    z.object({
      logs: z.array(
        z.object({
          id: z.string(),
          time: z.number(),
          event: z.string(),
          actor: z.object({ type: z.string(), id: z.string() }),
          resources: z.array(z.object({ type: z.string(), id: z.string() })),
          description: z.string(),
          context: z.object({ ipAddress: z.string().nullable(), userAgent: z.string().nullable() }),
        }),
      ),
      cursor: z.string().optional(),
    }),
    "A page of audit entries.",
  ),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await listLogs(c.env, c.var.caller, c.req.valid("query")), 200));
}
