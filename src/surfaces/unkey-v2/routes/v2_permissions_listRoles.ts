import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { listRolesPaged } from "../../../services/roles";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { pageRequest, v2Page, v2PageResponse } from "../schemas";
import { roleData, search } from "./v2_permissions_resources";

const request = z
  .strictObject({ ...pageRequest, search: search.openapi({ description: "Only roles whose id, name or description contains this, ignoring case." }) })
  .openapi("V2PermissionsListRolesRequest");

const route = v2Operation({
  path: "/v2/permissions.listRoles",
  tags: ["permissions"],
  summary: "List the workspace's roles with their permissions, a page at a time.",
  description: "Needs `rbac.*.read_role`. Follow `pagination.cursor` while `hasMore` is true.",
  request: { body: jsonBody(request) },
  responses: v2PageResponse(roleData, "A page of roles."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { roles, cursor } = await listRolesPaged(c.env, c.var.caller, c.req.valid("json"));
    return c.json(v2Page(c, roles, cursor), 200);
  });
}
