import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import { requireRootKey } from "../../auth/rootKey";
import { ROOT_KEY_SECURITY } from "../surface";

/**
 * A v2 operation: `POST /v2/<group>.<operation>` with a JSON body; a root key is required (401
 * without one, before the body is read) and the handler finds the caller in `c.var.caller`.
 */
export function v2Operation<const R extends Omit<RouteConfig, "method" | "middleware" | "security"> & { path: `/v2/${string}.${string}` }>(config: R) {
  return createRoute({ ...config, method: "post", middleware: [requireRootKey()] as const, security: [{ [ROOT_KEY_SECURITY]: [] }] });
}
