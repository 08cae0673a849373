import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env";
import { id, rbacRef } from "../../schemas";
import { addToKey, removeFromKey, setOnKey } from "../../services/keys/rbac";
import type { RbacTable } from "../../store/rbac";
import { managementRoute } from "./route";
import { jsonBody, jsonResponse, rbacRows } from "./schemas";

const MOST_PER_KEY: Record<RbacTable, number> = { permissions: 1000, roles: 100 };
const capitalized: Record<RbacTable, string> = { permissions: "Permissions", roles: "Roles" };

/**
 * keys.addPermissions, keys.removePermissions, keys.setPermissions and the same for roles: one
 * route each, told apart only by the table and the operation. Add and set answer what the key
 * holds by id and name; remove answers `{}`.
 */
export function keyLinkRoute(table: RbacTable, operation: "add" | "remove" | "set", summary: string, done: string) {
  const refs = z.array(operation === "remove" ? rbacRef.omit({ create: true }) : rbacRef);
  const listed = (operation === "set" ? refs : refs.min(1, "must name at least one")).max(MOST_PER_KEY[table]);
  const route = managementRoute({
    method: "post",
    path: `/v1/keys.${operation}${capitalized[table]}`,
    tags: ["keys"],
    summary,
    request: { body: jsonBody(z.strictObject({ keyId: id, [table]: listed })) },
    responses: jsonResponse(operation === "remove" ? z.object({}) : rbacRows, done),
  });
  return {
    register(app: OpenAPIHono<AppEnv>) {
      app.openapi(route, async (c) => {
        const body = c.req.valid("json") as { keyId: string } & Record<RbacTable, z.output<typeof rbacRef>[]>;
        const [keyId, given] = [body.keyId, body[table]];
        if (operation === "remove") {
          await removeFromKey(c.env, c.var.caller, table, keyId, given);
          return c.json({}, 200);
        }
        const linked = await (operation === "add" ? addToKey : setOnKey)(c.env, c.var.caller, table, keyId, given);
        return c.json(linked, 200);
      });
    },
  };
}
