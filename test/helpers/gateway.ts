import { dispatch } from "./harness";

export interface GatewayCall {
  method?: string;
  /** The original path, as Envoy appends it; may carry a query. */
  path?: string;
  /** The auth URL's own options, e.g. `permission=orders.read&header=x-api-key`. */
  query?: string;
  headers?: Record<string, string>;
}

/** Asks the gateway endpoint as a reverse proxy would. */
export async function gateway(apiId: string, call: GatewayCall = {}) {
  const query = call.query ? `?${call.query}` : "";
  const url = new URL(`/v1/gateway/${apiId}${call.path ?? ""}${query}`, "http://keygate.test");
  const res = await dispatch(new Request(url, { method: call.method ?? "GET", headers: call.headers }));
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export const apiKey = (key: string) => ({ "x-api-key": key });

/** The GATEWAY_PROXY_SECRET that vitest.config.ts gives Keygate. */
export const PROXY_SECRET = "test_gateway_proxy_secret";

/** The client's address headers as the trusted proxy sends them: next to the proxy secret. */
export const fromProxy = (addressHeaders: Record<string, string>) => ({ "x-keygate-proxy-secret": PROXY_SECRET, ...addressHeaders });

/** What nginx's auth_request sends (see examples/nginx/nginx.conf). */
export const nginx = (key: string, method = "GET") => ({
  "x-api-key": key,
  "x-original-uri": "/orders/1",
  "x-original-method": method,
});

/** The identity headers of an allowed check. */
export const IDENTITY_HEADERS = ["x-key-id", "x-key-owner", "x-key-name", "x-key-environment", "x-key-permissions", "x-key-meta", "x-key-remaining"];
