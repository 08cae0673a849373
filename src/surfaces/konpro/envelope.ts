import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { KeygateError } from "../../errors";
import type { VerifyResult } from "../../verify/decide";
import { errorResponses } from "../surface";

/**
 * Konpro's dialect. A key that cannot be used is an answer (`valid: false`), not an error;
 * errors are for requests that cannot be answered. Konpro documents no error shape, so its
 * errors follow the success body's style: snake_case fields, `{error: {code, message, request_id}}`.
 */

export function konproError(c: Context, err: KeygateError): Response {
  return c.json({ error: { code: err.code.toLowerCase(), message: err.message, request_id: c.get("requestId") as string } }, err.status);
}

export function konproValidation(result: VerifyResult) {
  if (!result.valid) return { valid: false, key_id: null, scopes: [], metadata: {}, expires_at: null };
  return {
    valid: true,
    key_id: result.keyId!,
    scopes: result.permissions ?? [],
    metadata: result.meta ?? {},
    expires_at: result.expires === undefined ? null : new Date(result.expires).toISOString(),
  };
}

export const konproValidationSchema = z
  .object({
    valid: z.boolean(),
    key_id: z.string().nullable(),
    scopes: z.array(z.string()).openapi({ description: "The key's permissions, by name." }),
    metadata: z.record(z.string(), z.unknown()).openapi({ description: "The key's meta." }),
    expires_at: z.string().nullable().openapi({ description: "ISO 8601, UTC; null when the key does not expire.", example: "2024-12-31T23:59:59.000Z" }),
  })
  .openapi("KonproValidateResponse");

const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "bad_request" }),
      message: z.string(),
      request_id: z.string(),
    }),
  })
  .openapi("KonproError");

export const konproErrorResponses = errorResponses(errorSchema, {
  400: "`bad_request`: the x-api-key header is missing, empty or longer than any key.",
  413: "`payload_too_large`: the body is too large.",
  429: "`too_many_requests`: the key's rate limit is exhausted; see `Retry-After`.",
  500: "`internal_server_error`: unexpected failure.",
  503: "`service_unavailable`: a dependency is unavailable; nothing was decided. Retry shortly.",
});
