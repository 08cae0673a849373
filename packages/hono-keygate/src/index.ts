import type { Context, MiddlewareHandler } from "hono";
// Types only, erased from the bundle: at run time this middleware needs nothing but hono.
import type { VerifyAnswer } from "../../../src/surfaces/verifyAnswer";

/**
 * An allowed key: the body of the gateway's 200, which is what keys.verifyKey answers, typed
 * from Keygate's own schema of it (z.infer of verifyAnswerSchema). An allowed key always has an id.
 */
export type KeygateResult = VerifyAnswer & { valid: true; code: "VALID"; keyId: string };

export type KeygateVariables = { keygate: KeygateResult };

export interface KeygateOptions {
  apiId: string;
  /** The name of a service binding to the Keygate Worker (`[[services]]` in wrangler.toml)... */
  binding?: string;
  /** ...or Keygate's address, e.g. https://keygate.example.com. */
  baseUrl?: string;
  /** All required. */
  permissions?: string[];
  /** The key must belong to this environment. */
  environment?: string;
  /** Read the key only from this header; by default X-API-Key, else Authorization: Bearer. */
  header?: string;
  /**
   * Keygate's GATEWAY_PROXY_SECRET, so that Keygate trusts the client's address this middleware
   * sends. Without it, a key with an IP allowlist is refused (403 CLIENT_ADDRESS_UNKNOWN).
   */
  proxySecret?: string;
  /** Default 5000. */
  timeoutMs?: number;
}

/** Headers of a refusal that the client needs: why, and when to retry. */
const REFUSAL_HEADERS = ["content-type", "www-authenticate", "retry-after", "x-key-code", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"];

/**
 * Keygate middleware for Hono, for other Workers (or any Hono app): checks the request's API key
 * with Keygate's gateway endpoint (`/v1/gateway/:apiId`), through a service binding or over HTTP.
 * Each check is one verification: it costs the key a credit and counts against its rate limits.
 *
 * - Allowed: the route runs, with what Keygate answered for the key as `c.get("keygate")`.
 * - Refused: Keygate's 401, 403 or 429 goes back to the client as it is (with `WWW-Authenticate`,
 *   `Retry-After`, `RateLimit-*` and `X-Key-Code`), and the route never runs.
 * - Keygate unreachable, timing out, or answering anything else: 503, never an allow.
 *
 * Setting up both Workers, and what is sent to Keygate: this package's README.md.
 *
 * @param {KeygateOptions} options - The options for the middleware.
 * @param {string} options.apiId - Keys of other apis are refused (403).
 * @param {string} [options.binding] - The name of the service binding to Keygate; give this or `baseUrl`.
 * @param {string} [options.baseUrl] - Keygate's address, e.g. `https://keygate.example.com`.
 * @param {string[]} [options.permissions] - Permissions the key must all hold (403 `INSUFFICIENT_PERMISSIONS`).
 * @param {string} [options.environment] - The key must belong to this environment.
 * @param {string} [options.header] - Read the key only from this header (default `X-API-Key`, else `Authorization: Bearer`).
 * @param {string} [options.proxySecret] - Keygate's `GATEWAY_PROXY_SECRET`, so that it believes the client's address.
 * @param {number} [options.timeoutMs=5000] - How long to wait for Keygate; then 503.
 * @returns {MiddlewareHandler} The middleware handler function.
 * @throws {Error} If not exactly one of `binding` and `baseUrl` is given.
 *
 * @example
 * ```ts
 * import { env } from "cloudflare:workers";
 * import { Hono } from "hono";
 * import { keygate, type KeygateVariables } from "@keygate/hono";
 *
 * const app = new Hono<{ Bindings: { KEYGATE: Fetcher }; Variables: KeygateVariables }>();
 * const requireKey = (...permissions: string[]) =>
 *   keygate({ binding: "KEYGATE", apiId: "api_...", permissions, proxySecret: env.GATEWAY_PROXY_SECRET });
 *
 * app.get("/orders/:id", requireKey(), (c) => c.json({ orderedBy: c.get("keygate").ownerId }));
 * app.delete("/orders/:id", requireKey("orders.delete"), (c) => c.json({ deletedBy: c.get("keygate").ownerId }));
 *
 * export default app;
 * ```
 */
export function keygate(options: KeygateOptions): MiddlewareHandler<{ Variables: KeygateVariables }> {
  if (!options.binding === !options.baseUrl) throw new Error("keygate(): give either `binding` or `baseUrl`");
  return async (c, next) => {
    let answer: Response;
    let allowed: KeygateResult | undefined;
    try {
      answer = await ask(c, options);
      if (answer.status === 200) allowed = await answer.json<KeygateResult>();
    } catch (err) {
      console.error("keygate: the key could not be checked:", err instanceof Error ? err.message : String(err));
      return unavailable(c);
    }
    if (allowed?.keyId) {
      c.set("keygate", allowed);
      return next();
    }
    if (answer.status !== 401 && answer.status !== 403 && answer.status !== 429) return unavailable(c);
    const headers = new Headers();
    for (const name of REFUSAL_HEADERS) {
      const value = answer.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    return new Response(answer.body, { status: answer.status, headers });
  };
}

function ask(c: Context, options: KeygateOptions): Promise<Response> {
  const query = new URLSearchParams();
  if (options.header) query.set("header", options.header);
  if (options.environment) query.set("environment", options.environment);
  for (const permission of options.permissions ?? []) query.append("permission", permission);
  const url = new URL(`/v1/gateway/${encodeURIComponent(options.apiId)}?${query}`, options.baseUrl ?? "https://keygate");

  const original = new URL(c.req.url);
  const headers = new Headers({
    "X-Forwarded-Method": c.req.method,
    "X-Forwarded-Uri": original.pathname + original.search,
    // The client's address for IP allowlists; without one, a restricted key is refused.
    "X-Real-IP": c.req.header("cf-connecting-ip") ?? "unknown",
  });
  // Keygate believes X-Real-IP only from whoever holds the proxy secret.
  if (options.proxySecret) headers.set("X-Keygate-Proxy-Secret", options.proxySecret);
  // Only the headers that may carry the key leave this Worker.
  for (const name of options.header ? [options.header] : ["x-api-key", "authorization"]) {
    const value = c.req.header(name);
    if (value !== undefined) headers.set(name, value);
  }

  const init = { method: "GET", headers, signal: AbortSignal.timeout(options.timeoutMs ?? 5000) };
  if (!options.binding) return fetch(url, init);
  const service = (c.env as Record<string, Fetcher | undefined> | undefined)?.[options.binding];
  if (!service) throw new Error(`no service binding named ${options.binding}`);
  return service.fetch(url, init);
}

function unavailable(c: Context): Response {
  return c.json({ code: "SERVICE_UNAVAILABLE", message: "The API key could not be checked; retry shortly." }, 503);
}
