import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { getPermission } from "../../../services/permissions";
import { jsonBody } from "../../surface";
import { v2Permission } from "../resources";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";
import { permissionRef } from "./v2_permissions_resources";

const request = z.strictObject({ permission: permissionRef }).openapi("V2PermissionsGetPermissionRequest");

const route = v2Operation({
  path: "/v2/permissions.getPermission",
  tags: ["permissions"],
  summary: "Read a permission, by id or slug.",
  description: "Needs `rbac.*.read_permission`.",
  request: { body: jsonBody(request) },
  responses: v2Response(v2Permission, "The permission."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(v2Data(c, await getPermission(c.env, c.var.caller, c.req.valid("json").permission, "idOrSlug")), 200));
}
