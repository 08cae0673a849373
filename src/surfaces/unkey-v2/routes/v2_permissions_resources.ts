import { z } from "@hono/zod-openapi";
import { displayName, name } from "../../../schemas";

/** What the permissions.* operations share. Not a route. */

/** A permission as Unkey v2 shows it. */
export const permissionData = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z
      .string()
      .openapi({ description: "How Unkey v2 names the permission; Keygate's verify checks `name`, which Keygate makes equal to it unless told otherwise." }),
    description: z.string().optional(),
  })
  .openapi("V2PermissionsPermission");

/** A role as Unkey v2 shows it: with its permissions in full. */
export const roleData = z
  .object({ id: z.string(), name: z.string(), description: z.string().optional(), permissions: z.array(permissionData) })
  .openapi("V2PermissionsRole");

/** A permission named by its id, or else its slug. */
export const permissionRef = name.openapi({ description: "The permission's id, or else its slug.", example: "perm_1234567890abcdef" });

/** A role named by its id, or else its name. */
export const roleRef = name.openapi({ description: "The role's id, or else its name.", example: "role_1234567890abcdef" });

/** Permissions as Unkey v2 gives them to a role: by slug; a missing one is created. */
export const permissionSlugs = z.array(displayName()).max(1000);

/** Unkey v2's `search` of a list: case-insensitive, within the fields the operation names. */
export const search = z.string().max(256).optional();
