import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { listPermissionsPaged } from "../../../services/permissions";
import { jsonBody } from "../../surface";
import { v2Permission } from "../resources";
import { v2Operation } from "../route";
import { pageRequest, v2Page, v2PageResponse } from "../schemas";
import { search } from "./v2_permissions_resources";

const request = z
  .strictObject({
    ...pageRequest,
    search: search.openapi({ description: "Only permissions whose id, name, slug or description contains this, ignoring case." }),
  })
  .openapi("V2PermissionsListPermissionsRequest");

const route = v2Operation({
  path: "/v2/permissions.listPermissions",
  tags: ["permissions"],
  summary: "List the workspace's permissions, a page at a time.",
  description: "Needs `rbac.*.read_permission`. Follow `pagination.cursor` while `hasMore` is true.",
  request: { body: jsonBody(request) },
  responses: v2PageResponse(v2Permission, "A page of permissions."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { permissions, cursor } = await listPermissionsPaged(c.env, c.var.caller, c.req.valid("json"));
    return c.json(v2Page(c, permissions, cursor), 200);
  });
}
