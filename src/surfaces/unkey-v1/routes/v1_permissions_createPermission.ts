import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { newPermission } from "../../../schemas";
import { createPermission } from "../../../services/permissions";
import { managementRoute } from "../route";
import { jsonBody, jsonResponse } from "../schemas";

const route = managementRoute({
  method: "post",
  path: "/v1/permissions.createPermission",
  tags: ["permissions"],
  summary: "Create a permission that keys can hold directly or through roles.",
  request: { body: jsonBody(newPermission) },
  responses: jsonResponse(z.object({ permissionId: z.string() }), "The new permission's id."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(await createPermission(c.env, c.var.caller, c.req.valid("json")), 200));
}
