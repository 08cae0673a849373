import { z } from "@hono/zod-openapi";
import { displayName, name } from "../../../schemas";
import { v2Role } from "../resources";

/** What the permissions.* operations share. Not a route. */

/** A role as the permissions.* operations answer it: with its permissions in full. */
export const roleData = v2Role.required({ permissions: true }).openapi("V2PermissionsRole");

/** A permission named by its id, or else its slug. */
export const permissionRef = name.openapi({ description: "The permission's id, or else its slug.", example: "perm_1234567890abcdef" });

/** A role named by its id, or else its name. */
export const roleRef = name.openapi({ description: "The role's id, or else its name.", example: "role_1234567890abcdef" });

/** Permissions as Unkey v2 gives them to a role: by slug; a missing one is created. */
export const permissionSlugs = z.array(displayName()).max(1000);

/** Unkey v2's `search` of a list: case-insensitive, within the fields the operation names. */
export const search = z.string().max(256).optional();
