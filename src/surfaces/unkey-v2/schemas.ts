import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../env";
import { KeygateError } from "../../errors";
import { ERROR_STATUS_DESCRIPTIONS, errorResponses, type ValidationHook } from "../surface";

/** Unkey v2's envelopes: `{ meta, data }`, lists with `pagination`, and RFC 7807 errors. */

const meta = z.object({ requestId: z.string() }).openapi("V2Meta");

const baseError = z.object({
  title: z.string(),
  detail: z.string(),
  status: z.number(),
  type: z.string().openapi({ description: "A reference to the error's documentation (docs/errors.md)." }),
});

const errorBody = z.object({ meta, error: baseError }).openapi("V2Error");

const badRequestBody = z
  .object({
    meta,
    error: baseError.extend({
      errors: z.array(z.object({ location: z.string().openapi({ example: "body.apiId" }), message: z.string(), fix: z.string().optional() })),
    }),
  })
  .openapi("V2BadRequestError");

export const v2ErrorResponses = {
  400: { description: "The request is malformed; `errors` names each invalid field.", content: { "application/json": { schema: badRequestBody } } },
  ...errorResponses(errorBody, ERROR_STATUS_DESCRIPTIONS),
};

/** A 200 of `{ meta, data }`, plus the v2 error responses. */
export const v2Response = <T extends z.ZodType>(data: T, description: string) => ({
  200: { description, content: { "application/json": { schema: z.object({ meta, data }) } } },
  ...v2ErrorResponses,
});

export const pagination = z.object({
  cursor: z.string().optional().openapi({ description: "Pass it back as `cursor` for the next page." }),
  hasMore: z.boolean(),
});

/** A 200 of `{ meta, data: [...], pagination }`, plus the v2 error responses. */
export const v2PageResponse = <T extends z.ZodType>(item: T, description: string) => ({
  200: { description, content: { "application/json": { schema: z.object({ meta, data: z.array(item), pagination }) } } },
  ...v2ErrorResponses,
});

/** `{ meta, data }` for this request. */
export function v2Data<T>(c: Context<AppEnv>, data: T) {
  return { meta: { requestId: c.get("requestId") }, data };
}

/** `{ meta, data, pagination }`: more pages exactly when there is a cursor. */
export function v2Page<T>(c: Context<AppEnv>, items: T[], cursor: string | undefined) {
  return { meta: { requestId: c.get("requestId") }, data: items, pagination: { cursor, hasMore: cursor !== undefined } };
}

/** A page of a list: `limit` up to 100, `cursor` from the previous page. */
export const pageRequest = {
  limit: z.number().int().min(1).max(100).default(100),
  cursor: z.string().max(256).optional(),
};

/** Unkey v2 locates a field as `body.ratelimits[0].name`. */
function location(target: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((at, part) => (typeof part === "number" ? `${at}[${part}]` : `${at}.${String(part)}`), target === "json" ? "body" : target);
}

/** A request that fails its schema is a 400 listing every invalid field, as Unkey v2 does. */
export const v2ValidationHook: ValidationHook = (result) => {
  if (result.success) return;
  const fields = result.error.issues.map((issue) => ({ location: location(result.target, issue.path), message: issue.message }));
  const first = fields[0];
  throw new KeygateError("BAD_REQUEST", first ? `${first.location}: ${first.message}` : "The request is not valid.", { fields });
};
