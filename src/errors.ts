/**
 * The one internal error type. Every failure that reaches a client is a KeygateError;
 * each dialect maps it to its own envelope at the edge (see dialects/).
 */
export type ErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "INSUFFICIENT_PERMISSIONS"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "PAYLOAD_TOO_LARGE"
  | "TOO_MANY_REQUESTS"
  | "INTERNAL_SERVER_ERROR"
  | "SERVICE_UNAVAILABLE";

const statusOf: Record<ErrorCode, 400 | 401 | 403 | 404 | 405 | 409 | 412 | 413 | 429 | 500 | 503> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  INSUFFICIENT_PERMISSIONS: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

/** One invalid field of a request, for envelopes that list them (Unkey v2's `errors`). */
export interface FieldError {
  /** Where in the request, e.g. `body.apiId` or `body.ratelimits[0].name`. */
  location: string;
  message: string;
  /** How to correct it, when there is more to say than the message. */
  fix?: string;
}

export class KeygateError extends Error {
  readonly code: ErrorCode;
  /** For 429s: how long the client should wait, in seconds. */
  readonly retryAfterSeconds?: number;
  /** For 400s found by validation: every invalid field, not only the first. */
  readonly fields?: FieldError[];

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; retryAfterSeconds?: number; fields?: FieldError[] } = {}) {
    super(message, { cause: options.cause });
    this.name = "KeygateError";
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.fields = options.fields;
  }

  get status() {
    return statusOf[this.code];
  }
}

export type Dependency = "D1" | "KV" | "Durable Object";

/**
 * Runs a call to a dependency and turns its failure into a 503, so callers fail closed
 * with a clear code instead of a 500 or, worse, a default answer. KeygateErrors raised on
 * purpose inside the call pass through.
 */
export async function dependency<T>(what: Dependency, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw asDependencyError(what, err);
  }
}

export function asDependencyError(what: Dependency, err: unknown): KeygateError {
  if (err instanceof KeygateError) return err;
  return new KeygateError("SERVICE_UNAVAILABLE", `${what} is unavailable; the request was not applied. Retry shortly.`, {
    cause: err,
  });
}

/**
 * How a Durable Object answers across RPC: a value, or the KeygateError it refused with.
 * Refusals travel as values because a thrown error loses its type and is logged as uncaught.
 */
export type Answer<T> = { value: T } | { refused: { code: ErrorCode; message: string } };

export function refusal(err: unknown, what: Dependency): Answer<never> {
  const error = asDependencyError(what, err);
  return { refused: { code: error.code, message: error.message } };
}

export function unwrap<T>(answer: Answer<T>): T {
  if ("refused" in answer) throw new KeygateError(answer.refused.code, answer.refused.message);
  return answer.value;
}

export const badRequest = (message: string) => new KeygateError("BAD_REQUEST", message);
export const notFound = (message: string) => new KeygateError("NOT_FOUND", message);
