import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { KeygateError } from "../../../errors";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2ErrorResponses } from "../schemas";

const request = z
  .strictObject({ query: z.string().openapi({ description: "Unkey's SQL over its ClickHouse tables; Keygate refuses it." }) })
  .openapi("V2AnalyticsGetVerificationsRequest");

const UNSUPPORTED = "Keygate does not run SQL queries: it keeps daily counts of verification outcomes per key, not Unkey's ClickHouse tables.";
const FIX =
  "Ask POST /v2/analytics.getVerificationCounts (a JSON body) or GET /v1/analytics.getVerifications (a query string) for an api's counts per day or month, key, identity or tags.";

const route = v2Operation({
  path: "/v2/analytics.getVerifications",
  tags: ["analytics"],
  summary: "Not supported: Unkey's SQL analytics. Always a 400 pointing to analytics.getVerificationCounts.",
  description: `${UNSUPPORTED} ${FIX} The 400 names \`body.query\`, so @unkey/api raises its BadRequestErrorResponse.`,
  request: { body: jsonBody(request) },
  responses: {
    ...v2ErrorResponses,
    400: { ...v2ErrorResponses[400], description: "Always: SQL queries are not supported; `errors[0].fix` says what to call instead." },
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, () => {
    throw new KeygateError("BAD_REQUEST", `${UNSUPPORTED} ${FIX}`, { fields: [{ location: "body.query", message: UNSUPPORTED, fix: FIX }] });
  });
}
