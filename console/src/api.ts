/**
 * The console's only way to Keygate: its public management API under /v1, like any other client.
 * The root key lives in this tab's sessionStorage and travels only in the Authorization header:
 * never in a URL, a cookie or a log.
 */

const ROOT_KEY_STORAGE = "keygate.rootKey";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined>;

let signedOutHandler: (() => void) | undefined;

/** Called when Keygate refuses the stored root key (deleted or expired since sign-in). */
export function onRootKeyRefused(handler: () => void): void {
  signedOutHandler = handler;
}

export function storeRootKey(rootKey: string): void {
  sessionStorage.setItem(ROOT_KEY_STORAGE, rootKey);
}

export function storedRootKey(): string | null {
  return sessionStorage.getItem(ROOT_KEY_STORAGE);
}

export function forgetRootKey(): void {
  sessionStorage.removeItem(ROOT_KEY_STORAGE);
}

/** GET /v1/<path>?query, with the signed-in root key unless another is given. */
export function get<T>(path: string, query: Query = {}, rootKey?: string): Promise<T> {
  const url = new URL(`/v1/${path}`, location.origin);
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
  return send<T>(url, { method: "GET" }, rootKey);
}

/** POST /v1/<path> with a JSON body, with the signed-in root key. */
export function post<T>(path: string, body: unknown): Promise<T> {
  return send<T>(new URL(`/v1/${path}`, location.origin), { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
}

async function send<T>(url: URL, init: RequestInit, rootKey?: string): Promise<T> {
  const key = rootKey ?? storedRootKey();
  const headers = new Headers(init.headers);
  if (key) headers.set("authorization", `Bearer ${key}`);
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers, credentials: "omit", cache: "no-store" });
  } catch {
    throw new ApiError(0, "NETWORK", "Keygate did not answer; is it running?");
  }
  const body = await response.json().catch(() => undefined);
  if (response.ok) return body as T;
  const error = body?.error;
  const failure = new ApiError(response.status, error?.code ?? "UNKNOWN", error?.message ?? `Keygate answered ${response.status}.`);
  if (response.status === 401 && rootKey === undefined) signedOutHandler?.();
  throw failure;
}

/** Every item of a cursor-paged list. */
export async function getAll<Page extends { cursor?: string }, Item>(path: string, query: Query, items: (page: Page) => Item[]): Promise<Item[]> {
  const all: Item[] = [];
  let cursor: string | undefined;
  do {
    const page = await get<Page>(path, { ...query, limit: 100, cursor });
    all.push(...items(page));
    cursor = page.cursor;
  } while (cursor);
  return all;
}
