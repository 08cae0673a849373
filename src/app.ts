import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./env";
import { KeygateError } from "./errors";
import { newId } from "./ids";
import { operatorConsole } from "./surfaces/console";
import { gateway } from "./surfaces/gateway";
import { kirim } from "./surfaces/kirim";
import { kombo } from "./surfaces/kombo";
import { konpro } from "./surfaces/konpro";
import { toKeygateError } from "./surfaces/surface";
import { unkeyV1 } from "./surfaces/unkey-v1";
import { unkeyError } from "./surfaces/unkey-v1/envelope";
import { unkeyV2 } from "./surfaces/unkey-v2";

/**
 * Mounts the surfaces, most specific first (see surfaces/surface.ts), and serves the OpenAPI
 * document generated from their routes. A path no surface answers is a 404 in Unkey's envelope.
 */
export function createApp() {
  const app = new OpenAPIHono<AppEnv>();

  app.use("*", async (c, next) => {
    c.set("requestId", newId("req"));
    c.header("Unkey-Request-Id", c.get("requestId"));
    await next();
  });

  app.route("/", operatorConsole);
  for (const surface of [kombo, konpro, kirim, gateway, unkeyV1, unkeyV2]) app.route("/", surface);

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Keygate",
      version: "1.0.0",
      description: "API keys issued, verified and metered at the edge. Speaks the Unkey v1 and v2 HTTP APIs.",
    },
  });

  app.notFound((c) => unkeyError(c, new KeygateError("NOT_FOUND", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`)));
  app.onError((err, c) => unkeyError(c, toKeygateError(err)));
  return app;
}
