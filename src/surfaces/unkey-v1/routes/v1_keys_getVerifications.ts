import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id } from "../../../schemas";
import { getKeyVerifications } from "../../../services/verifications";
import { managementRoute } from "../route";
import { jsonResponse, unixMsQuery } from "../schemas";

const route = managementRoute({
  method: "get",
  path: "/v1/keys.getVerifications",
  tags: ["keys"],
  summary: "Daily verification counts of a key, or of all keys of an owner.",
  description: "Counts reach this endpoint up to about 10 seconds after the verifications. Without `start`, the 30 days up to `end` (default now).",
  request: {
    query: z.object({
      keyId: id.optional(),
      ownerId: z.string().min(1).max(256).optional(),
      start: unixMsQuery.optional(),
      end: unixMsQuery.optional(),
      granularity: z.enum(["day"]).optional(),
    }),
  },
  responses: jsonResponse(
    z.object({
      verifications: z.array(
        z.object({
          time: z.number().openapi({ description: "Unix ms of the UTC midnight starting the day." }),
          success: z.number(),
          rateLimited: z.number(),
          usageExceeded: z.number(),
        }),
      ),
    }),
    "Counts per day, oldest first.",
  ),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await getKeyVerifications(c.env, c.var.caller, c.req.valid("query")), 200));
}
