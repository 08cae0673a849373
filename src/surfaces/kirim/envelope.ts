import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { KeygateError } from "../../errors";
import type { LimitConfig } from "../../store/policy";
import type { VerifyResult } from "../../verify/decide";
import { errorResponses } from "../surface";

/** Kirim's dialect: `{data, request_id}`, or `{error: {type, code, message, param?, request_id}}`. */

/** What a key without a `read` or `write` limit reports. Keygate enforces only limits that exist. */
export const DEFAULT_TIER = "default";
export const DEFAULT_READ_PER_MINUTE = 600;
export const DEFAULT_WRITE_PER_MINUTE = 60;

const MINUTE_MS = 60_000;

type ErrorType = "authentication_error" | "rate_limit_error" | "invalid_request_error" | "api_error";

/**
 * Kirim documents 401, 429 and 500 for this endpoint; a key refused for its address is an
 * authentication failure too (401, `ip_not_allowed`), so Kirim clients handle it as such.
 */
function kirimKind(err: KeygateError): { status: KeygateError["status"]; type: ErrorType; code: string } {
  switch (err.code) {
    case "UNAUTHORIZED":
      return { status: 401, type: "authentication_error", code: "invalid_api_key" };
    case "FORBIDDEN":
      return { status: 401, type: "authentication_error", code: "ip_not_allowed" };
    case "TOO_MANY_REQUESTS":
      return { status: 429, type: "rate_limit_error", code: "rate_limit_exceeded" };
    default:
      return { status: err.status, type: err.status < 500 ? "invalid_request_error" : "api_error", code: err.code.toLowerCase() };
  }
}

export function kirimError(c: Context, err: KeygateError): Response {
  const { status, type, code } = kirimKind(err);
  return c.json({ error: { type, code, message: err.message, request_id: c.get("requestId") as string } }, status);
}

/** A limit as whole requests per minute, rounded down but never to 0 (0 would read as "blocked"). */
export function perMinute(limit: LimitConfig): number {
  return Math.max(1, Math.floor((limit.limit * MINUTE_MS) / limit.duration));
}

export function kirimMe(result: VerifyResult, organizationName: string, requestId: string) {
  const read = result.namedLimits?.get("read");
  const write = result.namedLimits?.get("write");
  return {
    data: {
      organization: { id: result.workspaceId!, object: "organization" as const, name: organizationName },
      api_key: { id: result.keyId!, object: "api_key" as const, label: result.name ?? "", last4: result.last4! },
      rate_limits: {
        tier: result.tier ?? DEFAULT_TIER,
        write_per_minute: write ? perMinute(write) : DEFAULT_WRITE_PER_MINUTE,
        read_per_minute: read ? perMinute(read) : DEFAULT_READ_PER_MINUTE,
      },
    },
    request_id: requestId,
  };
}

export const kirimMeSchema = z
  .object({
    data: z.object({
      organization: z.object({
        id: z.string().openapi({ description: "The key's workspace." }),
        object: z.literal("organization"),
        name: z.string(),
      }),
      api_key: z.object({
        id: z.string(),
        object: z.literal("api_key"),
        label: z.string().openapi({ description: "The key's name; empty when it has none." }),
        last4: z.string().openapi({ description: "The key's last four characters." }),
      }),
      rate_limits: z.object({
        tier: z.string().openapi({ description: `The key's tier, else its identity's; "${DEFAULT_TIER}" when neither has one.` }),
        write_per_minute: z
          .number()
          .int()
          .openapi({ description: `The key's (or its identity's) \`write\` limit per minute; ${DEFAULT_WRITE_PER_MINUTE} when it has none.` }),
        read_per_minute: z
          .number()
          .int()
          .openapi({ description: `The key's (or its identity's) \`read\` limit per minute; ${DEFAULT_READ_PER_MINUTE} when it has none.` }),
      }),
    }),
    request_id: z.string(),
  })
  .openapi("KirimMeResponse");

const errorSchema = z
  .object({
    error: z.object({
      type: z.enum(["authentication_error", "rate_limit_error", "invalid_request_error", "api_error"]),
      code: z.string().openapi({ example: "invalid_api_key" }),
      message: z.string(),
      param: z.string().optional(),
      request_id: z.string(),
    }),
  })
  .openapi("KirimError");

export const kirimErrorResponses = errorResponses(errorSchema, {
  400: "`invalid_request_error`: the request is malformed.",
  401: "`authentication_error`: the key is missing or not valid (`invalid_api_key`), or refused for this address (`ip_not_allowed`).",
  429: "`rate_limit_error`: the key's rate limit is exhausted; see `Retry-After`.",
  500: "`api_error`: unexpected failure.",
  503: "`api_error` (`service_unavailable`): a dependency is unavailable; nothing was decided. Retry shortly.",
});
