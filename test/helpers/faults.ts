import type { env } from "cloudflare:test";
import { dispatch } from "./harness";

type WorkerEnv = typeof env;

const fail = () => {
  throw new Error("injected failure");
};

/** A binding whose every method throws (or rejects), like an unreachable dependency. */
export function broken<T extends object>(): T {
  return new Proxy({} as T, {
    get: () => fail,
  });
}

/** A D1 binding that fails every query. */
export const brokenD1 = () => broken<D1Database>();

/** A KV binding that fails every call. */
export const brokenKv = () => broken<KVNamespace>();

/** A Durable Object namespace whose objects fail every call. */
export function brokenDurableObjects<T extends DurableObjectNamespace<any>>(real: T): T {
  return new Proxy(real, {
    get(target, property) {
      if (property === "get") return () => broken();
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Sends a request to the Worker with some bindings replaced. */
export function fetchWith(overrides: Partial<WorkerEnv>, path: string, init: RequestInit & { json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) headers.set("content-type", "application/json");
  const request = new Request(new URL(path, "http://keygate.test"), {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
  return dispatch(request, overrides);
}
