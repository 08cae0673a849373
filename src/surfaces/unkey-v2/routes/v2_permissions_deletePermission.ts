import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { deletePermission } from "../../../services/permissions";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";
import { permissionRef } from "./v2_permissions_resources";

const request = z.strictObject({ permission: permissionRef }).openapi("V2PermissionsDeletePermissionRequest");

const route = v2Operation({
  path: "/v2/permissions.deletePermission",
  tags: ["permissions"],
  summary: "Delete a permission; keys and roles lose it, and the next verify of each key sees that.",
  description: "Needs `rbac.*.delete_permission`.",
  request: { body: jsonBody(request) },
  responses: v2Response(z.object({}), "Deleted."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await deletePermission(c.env, c.var.caller, c.req.valid("json").permission, "idOrSlug");
    return c.json(v2Data(c, {}), 200);
  });
}
