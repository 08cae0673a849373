import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { jsonResponse } from "../schemas";

const route = createRoute({
  method: "get",
  path: "/v1/liveness",
  tags: ["liveness"],
  summary: "Is the Worker up? Touches no dependency, so it is also the benchmarks' baseline.",
  responses: jsonResponse(
    z.object({
      status: z.string(),
      services: z.object({ metrics: z.string(), logger: z.string(), ratelimit: z.string(), usagelimit: z.string() }),
    }),
    "The Worker answers.",
  ),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, (c) =>
    c.json(
      {
        status: "ok",
        services: { metrics: "d1", logger: "console", ratelimit: "durable-objects", usagelimit: "durable-objects" },
      },
      200,
    ),
  );
}
