import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { getRoleWithPermissions } from "../../../services/roles";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";
import { roleData, roleRef } from "./v2_permissions_resources";

const request = z.strictObject({ role: roleRef }).openapi("V2PermissionsGetRoleRequest");

const route = v2Operation({
  path: "/v2/permissions.getRole",
  tags: ["permissions"],
  summary: "Read a role and its permissions, by id or name.",
  description: "Needs `rbac.*.read_role`.",
  request: { body: jsonBody(request) },
  responses: v2Response(roleData, "The role."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => c.json(v2Data(c, await getRoleWithPermissions(c.env, c.var.caller, c.req.valid("json").role, "idOrName")), 200));
}
