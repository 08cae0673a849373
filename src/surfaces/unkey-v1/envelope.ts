import type { Context } from "hono";
import type { KeygateError } from "../../errors";

/** Unkey's error envelope, used by every /v1 management and verify route. */
export function unkeyError(c: Context, err: KeygateError): Response {
  return c.json(
    {
      error: {
        code: err.code,
        docs: `docs/errors.md#${err.code.toLowerCase()}`,
        message: err.message,
        requestId: c.get("requestId") as string,
      },
    },
    err.status,
  );
}
