import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { v2Data, v2Response } from "../schemas";

const route = createRoute({
  method: "get",
  path: "/v2/liveness",
  tags: ["liveness"],
  summary: "Is the Worker up? Needs no root key and touches no dependency.",
  responses: v2Response(z.object({ message: z.literal("OK") }).openapi("V2LivenessResponseData"), "The Worker answers."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, (c) => c.json(v2Data(c, { message: "OK" as const }), 200));
}
