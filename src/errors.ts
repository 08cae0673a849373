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

export class KeygateError extends Error {
  readonly code: ErrorCode;
  /** For 429s: how long the client should wait, in seconds. */
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = "KeygateError";
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status() {
    return statusOf[this.code];
  }
}

export type Dependency = "D1" | "KV" | "Durable Object";

/**
 * Runs a call to a dependency and turns its failure into a 503, so callers fail closed
 * with a clear code instead of a 500 or, worse, a default answer. KeygateErrors that the
 * dependency itself raised on purpose (a Durable Object answering NOT_FOUND) pass through.
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
  const carried = fromRemote(err);
  if (carried) return carried;
  return new KeygateError("SERVICE_UNAVAILABLE", `${what} is unavailable; the request was not applied. Retry shortly.`, {
    cause: err,
  });
}

/** KeygateErrors thrown inside a Durable Object arrive as plain Errors; their message carries the code. */
const REMOTE_PREFIX = "keygate:";

export function toRemote(err: KeygateError): Error {
  return new Error(`${REMOTE_PREFIX}${err.code}:${err.message}`);
}

function fromRemote(err: unknown): KeygateError | undefined {
  if (!(err instanceof Error) || !err.message.startsWith(REMOTE_PREFIX)) return undefined;
  const rest = err.message.slice(REMOTE_PREFIX.length);
  const colon = rest.indexOf(":");
  const code = rest.slice(0, colon) as ErrorCode;
  return code in statusOf ? new KeygateError(code, rest.slice(colon + 1)) : undefined;
}

export const badRequest = (message: string) => new KeygateError("BAD_REQUEST", message);
export const notFound = (message: string) => new KeygateError("NOT_FOUND", message);
