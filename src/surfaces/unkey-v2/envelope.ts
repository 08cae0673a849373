import type { Context } from "hono";
import type { FieldError, KeygateError } from "../../errors";

/** RFC 7807 titles, as Unkey v2 gives them. */
export const V2_ERROR_TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Payload Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** A service names the field it refuses as `field: what is wrong`. */
const NAMED_FIELD = /^([A-Za-z][\w.[\]]*): (.+)$/s;

/** The invalid fields of a 400: as validation found them, else the one a service's message names. */
function fieldErrors(err: KeygateError): FieldError[] {
  if (err.fields) return err.fields;
  const named = NAMED_FIELD.exec(err.message);
  return [named ? { location: `body.${named[1]}`, message: named[2]! } : { location: "body", message: err.message }];
}

/**
 * Unkey v2's error envelope: `{ meta: { requestId }, error: { title, detail, status, type } }`;
 * a 400 also lists each invalid field in `errors` (the SDK's BadRequestErrorResponse requires it).
 */
export function unkeyV2Error(c: Context, err: KeygateError): Response {
  const error = {
    title: V2_ERROR_TITLES[err.status] ?? "Error",
    detail: err.message,
    status: err.status,
    type: `docs/errors.md#${err.code.toLowerCase()}`,
    ...(err.status === 400 ? { errors: fieldErrors(err) } : {}),
  };
  return c.json({ meta: { requestId: c.get("requestId") as string }, error }, err.status);
}
