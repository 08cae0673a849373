import { z } from "@hono/zod-openapi";
import { id } from "../../../schemas";
import { deletePermission } from "../../../services/permissions";
import { actionRoute } from "../route";

export const { register } = actionRoute({
  path: "/v1/permissions.deletePermission",
  tags: ["permissions"],
  summary: "Delete a permission; keys and roles lose it, and the next verify of each key sees that.",
  body: z.strictObject({ permissionId: id }),
  done: "Deleted.",
  run: (env, caller, { permissionId }) => deletePermission(env, caller, permissionId),
});
