import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import * as createPermission from "./v2_permissions_createPermission";
import * as createRole from "./v2_permissions_createRole";
import * as deletePermission from "./v2_permissions_deletePermission";
import * as deleteRole from "./v2_permissions_deleteRole";
import * as getPermission from "./v2_permissions_getPermission";
import * as getRole from "./v2_permissions_getRole";
import * as listPermissions from "./v2_permissions_listPermissions";
import * as listRoles from "./v2_permissions_listRoles";
import * as setRolePermissions from "./v2_permissions_setRolePermissions";

/** The permissions.* operations, one file each. */
export const routes: { register(app: OpenAPIHono<AppEnv>): void }[] = [
  createPermission,
  getPermission,
  listPermissions,
  deletePermission,
  createRole,
  getRole,
  listRoles,
  setRolePermissions,
  deleteRole,
];
