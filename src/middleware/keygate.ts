import type { Context, MiddlewareHandler } from "hono";

/**
 * Hono middleware for other Workers (or any Hono app): checks the request's API key with
 * Keygate's gateway endpoint, through a service binding or a base URL. Allowed: the key's
 * identity is `c.get("keygate")` and the route runs. Refused: Keygate's 401, 403 or 429 goes
 * back to the client as it is. Keygate unreachable or answering anything else: 503, never an
 * allow. Depends on nothing but hono, so it can be copied into another project as it is.
 * See examples/hono/README.md.
 */

/** An allowed key, as keys.verifyKey describes it. */
export interface KeygateIdentity {
  keyId: string;
  name?: string;
  /** The identity's externalId (or the deprecated ownerId). */
  ownerId?: string;
  meta?: Record<string, unknown>;
  expires?: number;
  /** Credits left; absent when unlimited. */
  remaining?: number;
  /** The limit with the least left; `reset` is a Unix time in ms. */
  ratelimit?: { limit: number; remaining: number; reset: number };
  permissions?: string[];
  roles?: string[];
  environment?: string;
  identity?: { id: string; externalId: string; meta: Record<string, unknown> };
}

export type KeygateVariables = { keygate: KeygateIdentity };

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

export function keygate(options: KeygateOptions): MiddlewareHandler<{ Variables: KeygateVariables }> {
  if (!options.binding === !options.baseUrl) throw new Error("keygate(): give either `binding` or `baseUrl`");
  return async (c, next) => {
    let answer: Response;
    let identity: KeygateIdentity | undefined;
    try {
      answer = await ask(c, options);
      if (answer.status === 200) identity = await answer.json<KeygateIdentity>();
    } catch (err) {
      console.error("keygate: the key could not be checked:", err instanceof Error ? err.message : String(err));
      return unavailable(c);
    }
    if (identity?.keyId) {
      c.set("keygate", identity);
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
