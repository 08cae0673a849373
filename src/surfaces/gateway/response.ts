import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { nextRefillBoundary } from "../../counters/credits";
import type { AppEnv } from "../../env";
import type { KeygateError } from "../../errors";
import { secondsUntil, type VerifyCode, type VerifyResult } from "../../verify/decide";
import { verifyAnswer } from "../verifyAnswer";
import { identityHeaders, rateLimitHeaders } from "./headers";
import { isNginxSubrequest } from "./request";

/**
 * A verify code, or UNAUTHORIZED when the request carries no key at all, or
 * CLIENT_ADDRESS_UNKNOWN when an IP-restricted key comes without an address from a trusted proxy.
 */
export type GatewayCode = Exclude<VerifyCode, "VALID"> | "UNAUTHORIZED" | "CLIENT_ADDRESS_UNKNOWN";

const denial: Record<GatewayCode, { status: 401 | 403 | 429; message: string }> = {
  UNAUTHORIZED: { status: 401, message: "No API key in the request." },
  NOT_FOUND: { status: 401, message: "The API key is not valid." },
  EXPIRED: { status: 401, message: "The API key has expired." },
  DISABLED: { status: 401, message: "The API key is disabled." },
  FORBIDDEN: { status: 403, message: "The API key may not be used for this request." },
  CLIENT_ADDRESS_UNKNOWN: { status: 403, message: "The API key is restricted to some addresses, and the client's address is unknown." },
  INSUFFICIENT_PERMISSIONS: { status: 403, message: "The API key lacks a permission this route requires." },
  RATE_LIMITED: { status: 429, message: "Too many requests for this API key." },
  USAGE_EXCEEDED: { status: 429, message: "The API key has no credits left." },
};

/** 200 with the identity headers; the body carries the same as keys.verifyKey, for the Hono middleware. */
export function allow(c: Context<AppEnv>, result: VerifyResult): Response {
  const headers = { ...identityHeaders(result, Date.now()), "X-Key-Code": "VALID" };
  return respond(c, 200, headers, verifyAnswer(result, c.get("requestId")));
}

/** 401, 403 or 429 with a short body. No identity leaves with a denial: the client may hold a stolen key. */
export function deny(c: Context<AppEnv>, code: GatewayCode, result?: VerifyResult): Response {
  const now = Date.now();
  const { status, message } = denial[code];
  const headers: Record<string, string> = { "X-Key-Code": code };
  if (result?.ratelimit) Object.assign(headers, rateLimitHeaders(result.ratelimit, now));
  if (status === 401) headers["WWW-Authenticate"] = code === "UNAUTHORIZED" ? 'Bearer realm="keygate"' : 'Bearer realm="keygate", error="invalid_token"';
  const retryAt = status === 429 ? retryAfter(code, result) : undefined;
  if (retryAt !== undefined) headers["Retry-After"] = String(Math.max(1, secondsUntil(retryAt, now)));
  return respond(c, status, headers, { code, message, requestId: c.get("requestId") });
}

/** Any failure on the gateway route: its code in X-Key-Code; a dependency failure stays a 503 (fail closed). */
export function renderGatewayError(c: Context<AppEnv>, err: KeygateError): Response {
  const headers: Record<string, string> = { "X-Key-Code": err.code };
  return respond(c, err.status, headers, { code: err.code, message: err.message, requestId: c.get("requestId") });
}

/** When the denied request may succeed again: the limit's reset, or the credits' next refill. */
function retryAfter(code: GatewayCode, result: VerifyResult | undefined): number | undefined {
  if (code === "RATE_LIMITED") return result?.ratelimit?.reset;
  return result?.refill ? nextRefillBoundary(result.refill, Date.now()) : undefined;
}

/**
 * nginx turns any auth status but 2xx, 401 and 403 into a 500 for the client, so under nginx
 * every other 4xx leaves as a 403; X-Key-Code still tells which (the shipped nginx.conf maps
 * RATE_LIMITED and USAGE_EXCEEDED back to 429). A 5xx stays a 5xx: nginx then fails closed.
 */
function respond(c: Context<AppEnv>, status: ContentfulStatusCode, headers: Record<string, string>, body: object): Response {
  const nginxStatus = status >= 400 && status < 500 && status !== 401 ? 403 : status;
  // An auth answer is about one request; no cache in between may reuse it.
  const sent = { ...headers, "Cache-Control": "no-store" };
  return c.json(body, isNginxSubrequest(c.req.raw.headers) ? nginxStatus : status, sent);
}
