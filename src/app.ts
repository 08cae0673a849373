import { OpenAPIHono, type Hook } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { KeygateError, badRequest } from "./errors";
import type { AppEnv } from "./env";
import { newId } from "./ids";
import { unkeyError } from "./dialects/unkey";
import { registerRoutes } from "./routes";
import { speaks, type ErrorRenderer } from "./dialects/introspection";
import { kirimError } from "./dialects/kirim";
import { komboError } from "./dialects/kombo";
import { konproError } from "./dialects/konpro";
import { renderGatewayError } from "./gateway/response";

/** Surfaces that answer errors in their own envelope; every other path speaks Unkey's. */
const ownEnvelopes: [string, ErrorRenderer][] = [
  ["/v1/check-api-key", komboError],
  ["/v1/api-keys/validate", konproError],
  ["/v1/me", kirimError],
  ["/v1/gateway/*", renderGatewayError],
];

export const MAX_BODY_BYTES = 256 * 1024;

/** Turns a zod failure into a 400 that names the field. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) return;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? issue.path.join(".") : result.target;
  throw badRequest(`${field}: ${issue?.message ?? "invalid"}`);
};

/** Any error, as a KeygateError: the one type each dialect knows how to render. */
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

export function createApp() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use("*", async (c, next) => {
    c.set("requestId", newId("req"));
    c.header("Unkey-Request-Id", c.get("requestId"));
    await next();
  });
  // Before the body limit, so even a 413 leaves in the surface's own envelope.
  for (const [path, render] of ownEnvelopes) app.use(path, speaks(render));
  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new KeygateError("PAYLOAD_TOO_LARGE", `The body is larger than ${MAX_BODY_BYTES} bytes.`);
      },
    }),
  );

  registerRoutes(app);

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Keygate",
      version: "1.0.0",
      description: "API keys issued, verified and metered at the edge. Speaks the Unkey v1 HTTP API.",
    },
  });

  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    const allowed = app.routes.filter((route) => route.path === path && route.method !== "ALL").map((route) => route.method);
    if (allowed.length === 0) return renderError(c, new KeygateError("NOT_FOUND", `No route for ${c.req.method} ${path}.`));
    c.header("Allow", [...new Set(allowed)].join(", "));
    return renderError(c, new KeygateError("METHOD_NOT_ALLOWED", `${path} answers ${[...new Set(allowed)].join(", ")}, not ${c.req.method}.`));
  });
  app.onError((err, c: Context<AppEnv>) => renderError(c, toKeygateError(err)));
  return app;
}

/** Each dialect's routes set their renderer; everything else speaks Unkey's envelope. */
function renderError(c: Context<AppEnv>, err: KeygateError): Response {
  const render = c.get("renderError");
  return render ? render(c, err) : unkeyError(c, err);
}
