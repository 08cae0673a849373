import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id, unixMs } from "../../../schemas";
import { getVerificationStats, MAX_STATS_ROWS, STATS_OUTCOME_FIELDS } from "../../../services/verifications";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

/** Each key id and tag is a bound parameter of one D1 query, which takes at most 100: 50 key ids, 10 tags. */
const MAX_KEY_IDS = 50;
const MAX_TAGS = 10;

const request = z
  .strictObject({
    apiId: id,
    keyIds: z.array(id).max(MAX_KEY_IDS).optional().openapi({ description: "Only these keys." }),
    externalId: z.string().min(1).max(256).optional().openapi({ description: "Only the keys of this identity." }),
    tags: z
      .array(z.string().max(128))
      .max(MAX_TAGS)
      .optional()
      .openapi({ description: "Only verifications that sent every one of these tags (verifyKey's `tags`)." }),
    start: unixMs.optional().openapi({ description: "Unix ms; default 30 days before `end`." }),
    end: unixMs.optional().openapi({ description: "Unix ms; default now." }),
    groupBy: z
      .array(z.enum(["day", "month", "key", "identity", "tags", "tag"]))
      .max(6)
      .optional()
      .openapi({ description: "day or month, key, identity, and tags (the set sent) or tag (each tag alone). Counts are kept per day, so not per hour." }),
    limit: z.number().int().min(1).max(MAX_STATS_ROWS).optional(),
    orderBy: z.enum(["time", "total", ...STATS_OUTCOME_FIELDS]).optional(),
    order: z.enum(["asc", "desc"]).optional(),
  })
  .openapi("V2AnalyticsGetVerificationCountsRequest");

const row = z
  .object({
    time: z.number().optional().openapi({ description: "With groupBy day or month: the UTC start of the day or month, in unix ms." }),
    ...Object.fromEntries(STATS_OUTCOME_FIELDS.map((field) => [field, z.number()])),
    total: z.number(),
    keyId: z.string().optional(),
    identity: z.object({ id: z.string(), externalId: z.string() }).optional(),
    tags: z.array(z.string()).optional().openapi({ description: "With groupBy tags: the set of tags these verifications sent." }),
    tag: z.string().optional().openapi({ description: "With groupBy tag: the tag these verifications sent (among others)." }),
  })
  .openapi("V2VerificationCounts");

const route = v2Operation({
  path: "/v2/analytics.getVerificationCounts",
  tags: ["analytics"],
  summary: "Keygate's own: an api's verification outcomes, counted per day or month, key, identity and tags.",
  description:
    "What Keygate offers instead of Unkey v2's SQL analytics.getVerifications: v1's analytics.getVerifications as a JSON body (`keyId` and `tag` are `keyIds` and `tags` here). Counts arrive up to about 10 seconds after the verifications. Needs `api.*.read_analytics` or `api.<apiId>.read_analytics`.",
  request: { body: jsonBody(request) },
  responses: v2Response(z.array(row), "One row per group."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { keyIds, tags, ...query } = c.req.valid("json");
    return c.json(v2Data(c, await getVerificationStats(c.env, c.var.caller, { ...query, keyIds, tag: tags })), 200);
  });
}
