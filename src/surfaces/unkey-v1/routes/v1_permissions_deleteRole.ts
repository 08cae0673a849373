import { z } from "@hono/zod-openapi";
import { id } from "../../../schemas";
import { deleteRole } from "../../../services/roles";
import { actionRoute } from "../route";

export const { register } = actionRoute({
  path: "/v1/permissions.deleteRole",
  tags: ["permissions"],
  summary: "Delete a role; keys lose its permissions, and the next verify of each key sees that.",
  body: z.strictObject({ roleId: id }),
  done: "Deleted.",
  run: (env, caller, { roleId }) => deleteRole(env, caller, roleId),
});
