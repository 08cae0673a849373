import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../src/index";

/**
 * Hands a request to the Worker's fetch handler, optionally with some bindings replaced. Not
 * through SELF.fetch, whose every call gets slower over a long test run (workers-sdk#15446).
 */
export async function dispatch(request: Request, overrides: Partial<typeof env> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** The ROOT_KEY that vitest.config.ts gives the Worker. */
export const ROOT_KEY = "test_root_key";

export interface CallResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the Worker like a client would: JSON in, JSON out. */
export async function call<T = any>(
  method: "GET" | "POST",
  path: string,
  options: { body?: unknown; rawBody?: string; rootKey?: string | null; headers?: Record<string, string>; query?: Record<string, string> } = {},
): Promise<CallResult<T>> {
  const url = new URL(path, "http://keygate.test");
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  const rootKey = options.rootKey === undefined ? ROOT_KEY : options.rootKey;
  if (rootKey !== null) headers.authorization = `Bearer ${rootKey}`;
  const res = await dispatch(
    new Request(url, {
      method,
      headers,
      body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    }),
  );
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

export const post = <T = any>(path: string, body: unknown, options: Parameters<typeof call>[2] = {}) => call<T>("POST", path, { ...options, body });

export const get = <T = any>(path: string, query: Record<string, string>, options: Parameters<typeof call>[2] = {}) =>
  call<T>("GET", path, { ...options, query });

export async function createApi(name = "test-api", extra: Record<string, unknown> = {}): Promise<string> {
  const res = await post("/v1/apis.createApi", { name, ...extra });
  if (res.status !== 200) throw new Error(`createApi failed: ${JSON.stringify(res.body)}`);
  return res.body.apiId;
}

export async function createKey(apiId: string, extra: Record<string, unknown> = {}): Promise<{ keyId: string; key: string }> {
  const res = await post("/v1/keys.createKey", { apiId, ...extra });
  if (res.status !== 200) throw new Error(`createKey failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function verify(key: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await post("/v1/keys.verifyKey", { key, ...extra }, { rootKey: null, headers });
  if (res.status !== 200) throw new Error(`verify failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A fresh api with one key, for tests that need just that. */
export async function apiWithKey(extra: Record<string, unknown> = {}) {
  const apiId = await createApi();
  const created = await createKey(apiId, extra);
  return { apiId, ...created };
}
