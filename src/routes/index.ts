import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";
import * as liveness from "./v1_liveness";
import * as verifyKey from "./v1_keys_verifyKey";

/** One file per endpoint; each registers its own route and schema. */
const routes = [liveness, verifyKey];

export function registerRoutes(app: OpenAPIHono<AppEnv>) {
  for (const route of routes) route.register(app);
}
