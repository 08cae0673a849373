import { type Hook, OpenAPIHono, type z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../env";
import { badRequest, KeygateError } from "../errors";

/**
 * A surface is one outside-facing API (Unkey v1, a dialect, the gateway): a Hono sub-app with its
 * own routes and its own envelope, which every error it meets leaves in, a too-large body or a
 * wrong method included. app.ts mounts the surfaces; nothing else knows their paths.
 */
export type ErrorRenderer = (c: Context<AppEnv>, err: KeygateError) => Response;

export const MAX_BODY_BYTES = 256 * 1024;

export type ValidationHook = Hook<unknown, AppEnv, string, unknown>;

/** Turns a zod failure into a 400 that names the field. */
export const validationHook: ValidationHook = (result) => {
  if (result.success) return;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? issue.path.join(".") : result.target;
  throw badRequest(`${field}: ${issue?.message ?? "invalid"}`);
};

/** The OpenAPI security scheme of every route that needs a root key. */
export const ROOT_KEY_SECURITY = "rootKey";

/** Documents the bearer root key that `security: [{ [ROOT_KEY_SECURITY]: [] }]` refers to. */
export function documentRootKeyAuth(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", ROOT_KEY_SECURITY, {
    type: "http",
    scheme: "bearer",
    description: "A root key: the ROOT_KEY variable, or one made by rootKeys.createRootKey.",
  });
}

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

/** Any error, as a KeygateError: the one type each surface knows how to render. */
export function toKeygateError(err: unknown): KeygateError {
  if (err instanceof KeygateError) return err;
  if (err instanceof HTTPException) {
    if (err.status === 413) return new KeygateError("PAYLOAD_TOO_LARGE", `The body is larger than ${MAX_BODY_BYTES} bytes.`);
    if (err.status === 400) return badRequest(`${err.message}.`);
    // A body sent without `Content-Type: application/json` (curl -d sends a form type).
    if (err.status === 415) return badRequest("Send the body as JSON, with `Content-Type: application/json`.");
    if (err.status === 401) return new KeygateError("UNAUTHORIZED", err.message);
  }
  console.error("unexpected error", err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  return new KeygateError("INTERNAL_SERVER_ERROR", "Something went wrong on our side; the request may not have been applied.");
}

/**
 * A surface answering on `paths` (Hono patterns), in `renderError`'s envelope. Its body limit is
 * registered on those paths before any route, so even a 413 leaves in its envelope. app.ts mounts
 * the most specific surface first: a later surface's middleware on an overlapping pattern
 * (Unkey v1 on /v1/*) never runs for a request an earlier surface answered.
 */
export function createSurface(renderError: ErrorRenderer, paths: string[], hook: ValidationHook = validationHook): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: hook });
  app.onError((err, c) => {
    const error = toKeygateError(err);
    if (error.retryAfterSeconds !== undefined) c.header("Retry-After", String(error.retryAfterSeconds));
    return renderError(c, error);
  });
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new KeygateError("PAYLOAD_TOO_LARGE", `The body is larger than ${MAX_BODY_BYTES} bytes.`);
    },
  });
  for (const path of paths) app.use(path, limit);
  return app;
}

/** Call once the surface's routes are registered: any other method on one of their paths is a 405 with `Allow`. */
export function refuseOtherMethods(app: OpenAPIHono<AppEnv>): void {
  const allowedByPath = new Map<string, Set<string>>();
  for (const { path, method } of app.routes) {
    if (method === "ALL") continue;
    const allowed = allowedByPath.get(path) ?? new Set<string>();
    allowedByPath.set(path, allowed.add(method));
  }
  for (const [path, allowed] of allowedByPath) {
    const allow = [...allowed].join(", ");
    app.all(path, (c) => {
      c.header("Allow", allow);
      throw new KeygateError("METHOD_NOT_ALLOWED", `${path} answers ${allow}, not ${c.req.method}.`);
    });
  }
}

/** What each error status means on the Unkey surfaces, v1 and v2 alike (400 is each version's own). */
export const ERROR_STATUS_DESCRIPTIONS = {
  401: "The root key is missing or not valid.",
  403: "The root key lacks a permission this call needs.",
  404: "The resource does not exist in this workspace.",
  409: "The resource already exists.",
  412: "The resource is in a state that forbids this change.",
  413: "The body is too large.",
  429: "Too many requests.",
  500: "Unexpected failure.",
  503: "A dependency (D1, KV or a Durable Object) is unavailable; nothing was applied.",
} as const;

/** A surface's documented error responses: one envelope schema, a description per status. */
export function errorResponses<Schema extends z.ZodType, const Descriptions extends Record<number, string>>(schema: Schema, descriptions: Descriptions) {
  const responses = Object.entries(descriptions).map(([status, description]) => [status, { description, content: { "application/json": { schema } } }]);
  return Object.fromEntries(responses) as { [Status in keyof Descriptions]: { description: string; content: { "application/json": { schema: Schema } } } };
}
