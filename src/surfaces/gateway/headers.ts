import { type RatelimitState, secondsUntil, type VerifyResult } from "../../verify/decide";

/** Larger values are sent empty: gateways cap the auth response's headers (nginx: 4-8 KiB by default). */
export const MAX_LIST_HEADER_BYTES = 4096;

/** Sent on every allowed check, empty when they do not apply, so a client can never supply them. */
export const IDENTITY_HEADERS = [
  "X-Key-Id",
  "X-Key-Owner",
  "X-Key-Name",
  "X-Key-Environment",
  "X-Key-Permissions",
  "X-Key-Meta",
  "X-Key-Remaining",
  "RateLimit-Limit",
  "RateLimit-Remaining",
  "RateLimit-Reset",
] as const;

/**
 * A value that is safe in any header: everything outside printable ASCII, and `%` itself, is
 * percent-encoded as UTF-8, so `decodeURIComponent` always gives back the original and no CR or
 * LF can ever split a header.
 */
export function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x24\x26-\x7e]/gu, (char) =>
    // A lone surrogate has no UTF-8 form; it stands for U+FFFD as it would after any decoding.
    /^[\ud800-\udfff]$/.test(char) ? "%EF%BF%BD" : encodeURIComponent(char),
  );
}

/** The key's identity for the upstream, as the gateway copies it onto the original request. */
export function identityHeaders(result: VerifyResult, now: number): Record<(typeof IDENTITY_HEADERS)[number], string> {
  const permissions = (result.permissions ?? []).map((name) => headerSafe(name).replaceAll(",", "%2C")).join(",");
  const meta = result.meta ? headerSafe(JSON.stringify(result.meta)) : "";
  return {
    "X-Key-Id": headerSafe(result.keyId ?? ""),
    "X-Key-Owner": headerSafe(result.ownerId ?? ""),
    "X-Key-Name": headerSafe(result.name ?? ""),
    "X-Key-Environment": headerSafe(result.environment ?? ""),
    "X-Key-Permissions": permissions.length <= MAX_LIST_HEADER_BYTES ? permissions : "",
    "X-Key-Meta": meta.length <= MAX_LIST_HEADER_BYTES ? meta : "",
    "X-Key-Remaining": result.remaining === undefined ? "" : String(result.remaining),
    ...rateLimitHeaders(result.ratelimit, now),
  };
}

/** The IETF draft's RateLimit-* fields, for the limit with the least left (or the one that denied). */
export function rateLimitHeaders(state: RatelimitState | undefined, now: number) {
  return {
    "RateLimit-Limit": state ? String(state.limit) : "",
    "RateLimit-Remaining": state ? String(state.remaining) : "",
    "RateLimit-Reset": state ? String(secondsUntil(state.reset, now)) : "",
  };
}
