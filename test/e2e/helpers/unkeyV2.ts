import { Unkey } from "@unkey/api-v2";
import { ResponseValidationError, UnkeyError } from "@unkey/api-v2/models/errors";
import type { DevServer } from "./devServer";

/**
 * The real `@unkey/api` 2.x SDK pointed at a dev server. Retries are off, so that a 5xx fails at
 * once instead of being retried for seconds; an answer that breaks the SDK's schema is reported
 * with the operation, the schema's complaints and the body, rather than as a bare
 * "Response validation failed".
 */
export function unkeyV2(server: DevServer, rootKey = server.rootKey): Unkey {
  return explained(new Unkey({ rootKey, serverURL: server.baseUrl, retryConfig: { strategy: "none" } }));
}

function explained(sdk: Unkey): Unkey {
  return new Proxy(sdk, {
    get(target, group) {
      const operations = Reflect.get(target, group);
      if (typeof operations !== "object" || operations === null) return operations;
      return new Proxy(operations, {
        get(namespace, operation) {
          const method = Reflect.get(namespace, operation);
          if (typeof method !== "function") return method;
          return async (...args: unknown[]) => {
            try {
              return await method.apply(namespace, args);
            } catch (err) {
              if (err instanceof ResponseValidationError) {
                throw new Error(`${String(group)}.${String(operation)}: ${explain(err)}`, { cause: err });
              }
              throw err;
            }
          };
        },
      });
    },
  });
}

/** What an SDK error says, with the answer's status and body. */
export function explain(err: unknown): string {
  if (err instanceof ResponseValidationError) return `the ${err.statusCode} answer breaks the SDK's schema:\n${err.pretty()}\n  body: ${err.body}`;
  if (err instanceof UnkeyError) return `${err.name} (HTTP ${err.statusCode}): ${err.body}`;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** The error a call was refused with, which must be of the SDK's typed class `kind`. */
export async function refusal<E extends Error>(call: Promise<unknown>, kind: abstract new (...args: any[]) => E): Promise<E> {
  let result: unknown;
  try {
    result = await call;
  } catch (err) {
    if (err instanceof kind) return err;
    throw new Error(`expected ${kind.name}, got ${explain(err)}`);
  }
  throw new Error(`expected ${kind.name}, but the call succeeded: ${JSON.stringify(result)}`);
}
