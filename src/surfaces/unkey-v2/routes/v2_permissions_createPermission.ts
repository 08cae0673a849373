import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { newPermission } from "../../../schemas";
import { createPermission } from "../../../services/permissions";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

const request = z
  .strictObject({
    name: newPermission.shape.name,
    slug: newPermission.shape.slug.unwrap().openapi({ description: "Unique in the workspace; how the other v2 operations find the permission." }),
    description: newPermission.shape.description,
  })
  .openapi("V2PermissionsCreatePermissionRequest");

const route = v2Operation({
  path: "/v2/permissions.createPermission",
  tags: ["permissions"],
  summary: "Create a permission that keys can hold directly or through roles.",
  description: "Needs `rbac.*.create_permission`. A name or slug already in use is a 409.",
  request: { body: jsonBody(request) },
  responses: v2Response(z.object({ permissionId: z.string() }).openapi("V2PermissionsCreatePermissionResponseData"), "The new permission's id."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(v2Data(c, await createPermission(c.env, c.var.caller, c.req.valid("json"))), 200));
}
