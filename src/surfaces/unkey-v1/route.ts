import { createRoute, type OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import type { Caller } from "../../auth/caller";
import { requireRootKey } from "../../auth/rootKey";
import type { AppEnv, Env } from "../../env";
import { ROOT_KEY_SECURITY } from "../surface";
import { jsonBody, jsonResponse } from "./schemas";

/**
 * A management route: a root key is required (401 without one, before the body is read), the
 * handler finds the caller in `c.var.caller`, and /openapi.json documents the bearer auth.
 */
export function managementRoute<const R extends Omit<RouteConfig, "middleware" | "security">>(config: R) {
  return createRoute({ ...config, middleware: [requireRootKey()] as const, security: [{ [ROOT_KEY_SECURITY]: [] }] });
}

/**
 * A management route that lists all of one kind in the caller's workspace (no parameters): the
 * permissions and the roles.
 */
export function workspaceListRoute<Item extends z.ZodType>(spec: {
  path: `/v1/${string}`;
  tags: string[];
  summary: string;
  item: Item;
  done: string;
  list: (env: Env, caller: Caller) => Promise<z.input<Item>[]>;
}) {
  const route = managementRoute({
    method: "get",
    path: spec.path,
    tags: spec.tags,
    summary: spec.summary,
    responses: jsonResponse(z.array(spec.item), spec.done),
  });
  return {
    register(app: OpenAPIHono<AppEnv>) {
      // The items' type is the generic `Item`'s, which Hono cannot name through the generic route.
      app.openapi(route, async (c) => c.json((await spec.list(c.env, c.var.caller)) as never, 200));
    },
  };
}

/**
 * A management route that acts on what its body names and answers `{}`: the deletes and
 * removals. `run` gets the validated body.
 */
export function actionRoute<Body extends z.ZodType>(spec: {
  path: `/v1/${string}`;
  tags: string[];
  summary: string;
  body: Body;
  /** What the 200 means, e.g. "Deleted.". */
  done: string;
  run: (env: Env, caller: Caller, body: z.output<Body>) => Promise<unknown>;
}) {
  const route = managementRoute({
    method: "post",
    path: spec.path,
    tags: spec.tags,
    summary: spec.summary,
    request: { body: jsonBody(spec.body) },
    responses: jsonResponse(z.object({}), spec.done),
  });
  return {
    register(app: OpenAPIHono<AppEnv>) {
      app.openapi(route, async (c) => {
        // Validated against spec.body; through the generic route Hono cannot name its type.
        await spec.run(c.env, c.var.caller, c.req.valid("json" as never) as z.output<Body>);
        return c.json({}, 200);
      });
    },
  };
}
