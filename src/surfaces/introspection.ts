import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bearerToken } from "../auth/rootKey";
import type { AppEnv } from "../env";
import { KeygateError } from "../errors";
import { plaintextKey } from "../schemas";
import { verifyKey } from "../services/verify";
import { secondsUntil, type VerifyResult } from "../verify/decide";

/**
 * What the other API dialects share: each asks the one verify pipeline about a key and only
 * renders the answer in its own shape.
 */

/**
 * A key asking about itself. It counts as a verification (the key's Durable Object records it,
 * and the key's own rate limit applies at cost 1) but spends no credits: checking a key must
 * not use it up.
 */
export function introspect(c: Context<AppEnv>, key: string): Promise<VerifyResult> {
  return verifyKey(c.env, { key, creditCost: 0, ratelimitCost: 1, clientIp: c.req.header("cf-connecting-ip") }, c.executionCtx);
}

/**
 * Why the pipeline refused a key, as the error each dialect renders; undefined when it is valid.
 * Introspection names no api, environment or permission, so FORBIDDEN can only be the address.
 * Every other refusal reads the same, so a caller learns nothing about keys it does not hold.
 */
export function refusal(result: VerifyResult, now = Date.now()): KeygateError | undefined {
  switch (result.code) {
    case "VALID":
      return undefined;
    case "RATE_LIMITED":
      return new KeygateError("TOO_MANY_REQUESTS", "The key's rate limit is exhausted; retry after `Retry-After` seconds.", {
        retryAfterSeconds: Math.max(1, result.ratelimit ? secondsUntil(result.ratelimit.reset, now) : 1),
      });
    case "FORBIDDEN":
      return new KeygateError("FORBIDDEN", "The key may not be used from this address.");
    default:
      return new KeygateError("UNAUTHORIZED", "The API key is not valid.");
  }
}

/**
 * The key in `Authorization: Bearer <key>`. A missing or malformed header, or a token longer
 * than any key Keygate issues, is refused before it is hashed or looked up.
 */
export function bearerKey(header: string | undefined): string {
  const token = bearerToken(header);
  if (token === undefined) throw new KeygateError("UNAUTHORIZED", "Send the API key as `Authorization: Bearer <key>`.");
  if (!plaintextKey.safeParse(token).success) throw new KeygateError("UNAUTHORIZED", "The API key is not valid.");
  return token;
}

/** Set by Cloudflare, never by the client. */
export const clientAddressHeader = z
  .string()
  .optional()
  .openapi({ description: "The client's address, set by Cloudflare; checked against the key's IP allowlist." });

/** The request headers a Bearer-key dialect reads, for its OpenAPI description. */
export const bearerHeaders = z.object({
  authorization: z.string().optional().openapi({ description: "`Bearer <API key>`: the key to introspect.", example: "Bearer sk_live_3vQB7B6MrGQZaxCuFg4oh" }),
  "cf-connecting-ip": clientAddressHeader,
});
