import { listRoles } from "../../../services/roles";
import { workspaceListRoute } from "../route";
import { roleSchema } from "../schemas";

export const { register } = workspaceListRoute({
  path: "/v1/permissions.listRoles",
  tags: ["permissions"],
  summary: "List the workspace's roles, by name.",
  item: roleSchema,
  done: "Every role of the workspace.",
  list: listRoles,
});
