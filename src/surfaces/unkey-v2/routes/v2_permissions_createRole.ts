import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { newRole } from "../../../schemas";
import { createRole } from "../../../services/roles";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";
import { permissionSlugs } from "./v2_permissions_resources";

const request = z
  .strictObject({
    name: newRole.shape.name,
    description: newRole.shape.description,
    permissions: permissionSlugs.optional().openapi({ description: "Slugs of the permissions the role grants; a missing one is created." }),
  })
  .openapi("V2PermissionsCreateRoleRequest");

const route = v2Operation({
  path: "/v2/permissions.createRole",
  tags: ["permissions"],
  summary: "Create a role: a named set of permissions that keys can hold.",
  description:
    "Needs `rbac.*.create_role`; with `permissions`, also `rbac.*.add_permission_to_role`, and `rbac.*.create_permission` when one of them does not exist yet. A name already in use is a 409.",
  request: { body: jsonBody(request) },
  responses: v2Response(z.object({ roleId: z.string() }).openapi("V2PermissionsCreateRoleResponseData"), "The new role's id."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { permissions, ...role } = c.req.valid("json");
    return c.json(v2Data(c, await createRole(c.env, c.var.caller, { ...role, permissionSlugs: permissions })), 200);
  });
}
