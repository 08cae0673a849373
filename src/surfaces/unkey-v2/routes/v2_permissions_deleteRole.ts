import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { deleteRole } from "../../../services/roles";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";
import { roleRef } from "./v2_permissions_resources";

const request = z.strictObject({ role: roleRef }).openapi("V2PermissionsDeleteRoleRequest");

const route = v2Operation({
  path: "/v2/permissions.deleteRole",
  tags: ["permissions"],
  summary: "Delete a role; keys lose its permissions, and the next verify of each key sees that.",
  description: "Needs `rbac.*.delete_role`.",
  request: { body: jsonBody(request) },
  responses: v2Response(z.object({}), "Deleted."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    await deleteRole(c.env, c.var.caller, c.req.valid("json").role, "idOrName");
    return c.json(v2Data(c, {}), 200);
  });
}
