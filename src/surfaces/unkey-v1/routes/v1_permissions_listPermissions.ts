import { listPermissions } from "../../../services/permissions";
import { workspaceListRoute } from "../route";
import { permissionSchema } from "../schemas";

export const { register } = workspaceListRoute({
  path: "/v1/permissions.listPermissions",
  tags: ["permissions"],
  summary: "List the workspace's permissions, by name.",
  item: permissionSchema,
  done: "Every permission of the workspace.",
  list: listPermissions,
});
