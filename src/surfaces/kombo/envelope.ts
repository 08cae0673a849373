import { z } from "@hono/zod-openapi";
import { sha256 } from "@noble/hashes/sha2.js";
import { base58 } from "@scure/base";
import type { Context } from "hono";
import type { KeygateError } from "../../errors";
import type { VerifyResult } from "../../verify/decide";
import { errorResponses } from "../surface";

/** Kombo's dialect: `{status: "success", data}` or `{status: "error", error}` with PLATFORM.* codes. */

const platformCodes = [
  "PLATFORM.AUTHENTICATION_INVALID",
  "PLATFORM.IP_NOT_WHITELISTED",
  "PLATFORM.RATE_LIMIT_EXCEEDED",
  "PLATFORM.INPUT_INVALID",
  "PLATFORM.UNKNOWN_ERROR",
] as const;
type PlatformCode = (typeof platformCodes)[number];

const titles: Record<PlatformCode, string> = {
  "PLATFORM.AUTHENTICATION_INVALID": "The API key is invalid.",
  "PLATFORM.IP_NOT_WHITELISTED": "The IP address is not allowed for this API key.",
  "PLATFORM.RATE_LIMIT_EXCEEDED": "Rate limit exceeded.",
  "PLATFORM.INPUT_INVALID": "The request is invalid.",
  "PLATFORM.UNKNOWN_ERROR": "Something went wrong.",
};

function platformCode(err: KeygateError): PlatformCode {
  switch (err.code) {
    case "UNAUTHORIZED":
      return "PLATFORM.AUTHENTICATION_INVALID";
    case "FORBIDDEN":
      return "PLATFORM.IP_NOT_WHITELISTED";
    case "TOO_MANY_REQUESTS":
      return "PLATFORM.RATE_LIMIT_EXCEEDED";
    default:
      return err.status < 500 ? "PLATFORM.INPUT_INVALID" : "PLATFORM.UNKNOWN_ERROR";
  }
}

/** The HTTP status stays Keygate's (a dependency failure remains a 503); the code is Kombo's. */
export function komboError(c: Context, err: KeygateError): Response {
  const code = platformCode(err);
  // Kombo links each error to its dashboard log; Keygate has no such page.
  return c.json({ status: "error", error: { code, title: titles[code], message: err.message, log_url: null } }, err.status);
}

/**
 * A stable id for the key's environment within its workspace. Environments have no table of
 * their own, so the id is derived: the same workspace and environment always give the same id,
 * and keys without an environment share one of their own.
 */
export function environmentId(workspaceId: string, environment: string | undefined): string {
  const digest = sha256(new TextEncoder().encode(JSON.stringify([workspaceId, environment ?? null])));
  return `env_${base58.encode(digest.subarray(0, 16))}`;
}

export function komboCheckApiKey(result: VerifyResult) {
  const id = environmentId(result.workspaceId!, result.environment);
  return { status: "success" as const, data: { environment_id: id, customer_id: id } };
}

export const komboCheckApiKeySchema = z
  .object({
    status: z.literal("success"),
    data: z.object({
      environment_id: z.string().openapi({ description: "The key's environment, stable within its workspace." }),
      customer_id: z.string().openapi({ deprecated: true, description: "**(Deprecated)** Renamed to `environment_id`; the same value." }),
    }),
  })
  .openapi("KomboCheckApiKeyResponse");

const errorSchema = z
  .object({
    status: z.literal("error"),
    error: z.object({
      code: z.enum(platformCodes),
      title: z.string().nullable(),
      message: z.string(),
      log_url: z.string().nullable(),
    }),
  })
  .openapi("KomboError");

export const komboErrorResponses = errorResponses(errorSchema, {
  400: "PLATFORM.INPUT_INVALID: the request is malformed.",
  401: "PLATFORM.AUTHENTICATION_INVALID: the key is missing, unknown, expired, disabled, revoked or deleted.",
  403: "PLATFORM.IP_NOT_WHITELISTED: the client's address is outside the key's allowlist.",
  429: "PLATFORM.RATE_LIMIT_EXCEEDED: the key's rate limit is exhausted; see `Retry-After`.",
  500: "PLATFORM.UNKNOWN_ERROR: unexpected failure.",
  503: "PLATFORM.UNKNOWN_ERROR: a dependency is unavailable; nothing was decided. Retry shortly.",
});
