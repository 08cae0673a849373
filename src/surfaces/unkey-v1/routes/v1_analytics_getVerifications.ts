import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id } from "../../../schemas";
import { getVerificationStats, MAX_STATS_ROWS, STATS_OUTCOME_FIELDS } from "../../../services/verifications";
import { managementRoute } from "../route";
import { jsonResponse, unixMsQuery } from "../schemas";

/** A list in a query string: repeated (`?a=1&a=2`) or comma-separated (`?a=1,2`), as Unkey's SDK sends it. */
const listParam = <T extends z.ZodType<unknown, string>>(item: T, max = 50) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((part) => part.split(",")).filter(Boolean))
    .pipe(z.array(item).max(max));

/** Each key id and tag is a bound parameter of one D1 query, which takes at most 100: 50 key ids, 10 tags. */
const MAX_TAGS = 10;

const query = z.object({
  apiId: id,
  keyId: listParam(id).optional(),
  externalId: z.string().min(1).max(256).optional(),
  tag: listParam(z.string().max(128), MAX_TAGS)
    .optional()
    .openapi({ description: "Only verifications that sent every one of these tags (verifyKey's `tags`)." }),
  start: unixMsQuery.optional(),
  end: unixMsQuery.optional(),
  groupBy: listParam(z.enum(["key", "identity", "tags", "tag", "month", "day", "hour"]))
    .optional()
    .openapi({ description: "Supported: day, month, key, identity, and one of tags or tag (counts are kept per day, so not hour)." }),
  limit: z.coerce.number().int().min(1).max(MAX_STATS_ROWS).optional(),
  orderBy: z.enum(["time", "total", ...STATS_OUTCOME_FIELDS]).optional(),
  order: z.enum(["asc", "desc"]).optional(),
});

const row = z.object({
  time: z.number().optional(),
  ...Object.fromEntries(STATS_OUTCOME_FIELDS.map((field) => [field, z.number()])),
  total: z.number(),
  keyId: z.string().optional(),
  identity: z.object({ id: z.string(), externalId: z.string() }).optional(),
  tags: z.array(z.string()).optional().openapi({ description: "With groupBy tags: the set of tags these verifications sent." }),
  tag: z.string().optional().openapi({ description: "With groupBy tag: the tag these verifications sent (among others)." }),
});

const route = managementRoute({
  method: "get",
  path: "/v1/analytics.getVerifications",
  tags: ["analytics"],
  summary: "Verification outcomes of an api, grouped by day or month, key, identity and tags.",
  description: "Counts arrive up to about 10 seconds after the verifications. Without `start`, the 30 days up to `end` (default now).",
  request: { query },
  responses: jsonResponse(z.array(row), "One row per group."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { keyId, ...input } = c.req.valid("query");
    return c.json(await getVerificationStats(c.env, c.var.caller, { ...input, keyIds: keyId }), 200);
  });
}
