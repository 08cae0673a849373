import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { setRolePermissions } from "../../../services/roles";
import { jsonBody } from "../../surface";
import { v2Permission } from "../resources";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";
import { permissionSlugs, roleRef } from "./v2_permissions_resources";

const request = z
  .strictObject({
    roleId: roleRef,
    permissions: permissionSlugs.openapi({ description: "Every permission the role is to grant, by slug; [] takes all away. A missing one is created." }),
  })
  .openapi("V2PermissionsSetRolePermissionsRequest");

const route = v2Operation({
  path: "/v2/permissions.setRolePermissions",
  tags: ["permissions"],
  summary: "Replace the permissions a role grants. Returns once every verify of the role's keys sees the change.",
  description:
    "Needs `rbac.*.add_permission_to_role` and `rbac.*.remove_permission_from_role`, and `rbac.*.create_permission` when a permission does not exist yet.",
  request: { body: jsonBody(request) },
  responses: v2Response(z.array(v2Permission), "The role's permissions, as now set."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { roleId, permissions } = c.req.valid("json");
    return c.json(v2Data(c, await setRolePermissions(c.env, c.var.caller, { role: roleId, permissionSlugs: permissions })), 200);
  });
}
