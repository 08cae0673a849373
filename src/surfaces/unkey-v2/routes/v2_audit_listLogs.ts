import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id, unixMs } from "../../../schemas";
import { listLogs } from "../../../services/audit";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { pageRequest, v2Page, v2PageResponse } from "../schemas";

const request = z
  .strictObject({
    keyId: id.optional().openapi({ description: "Only entries about this key." }),
    apiId: id.optional().openapi({ description: "Only entries about this api." }),
    event: z.string().max(64).optional().openapi({ example: "key.revoke" }),
    since: unixMs.optional().openapi({ description: "Unix ms, inclusive." }),
    until: unixMs.optional().openapi({ description: "Unix ms, inclusive." }),
    ...pageRequest,
  })
  .openapi("V2AuditListLogsRequest");

const auditLog = z
  .object({
    id: z.string(),
    time: z.number(),
    event: z.string(),
    actor: z.object({ type: z.string(), id: z.string() }),
    resources: z.array(z.object({ type: z.string(), id: z.string() })),
    description: z.string(),
    context: z.object({ ipAddress: z.string().optional(), userAgent: z.string().optional() }),
  })
  .openapi("V2AuditLog");

const route = v2Operation({
  path: "/v2/audit.listLogs",
  tags: ["audit"],
  summary: "Keygate's own: the workspace's append-only audit trail, newest first.",
  description: "Needs `audit.*.read_logs`.",
  request: { body: jsonBody(request) },
  responses: v2PageResponse(auditLog, "A page of audit entries; pass `pagination.cursor` back for the next."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { logs, cursor } = await listLogs(c.env, c.var.caller, c.req.valid("json"));
    // v2 omits what is unknown rather than answering null.
    const entries = logs.map(({ context: { ipAddress, userAgent }, ...log }) => ({
      ...log,
      context: { ...(ipAddress !== null ? { ipAddress } : {}), ...(userAgent !== null ? { userAgent } : {}) },
    }));
    return c.json(v2Page(c, entries, cursor), 200);
  });
}
