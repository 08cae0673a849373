import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { id } from "../../../schemas";
import { addToKey, permissionsOfKey, refsByNameOrId, removeFromKey, rolesOfKey, setOnKey } from "../../../services/keys/rbac";
import { renderPermission } from "../../../services/permissions";
import { renderRole } from "../../../services/roles";
import type { RbacTable } from "../../../store/rbac";
import { jsonBody } from "../../surface";
import { v2Permission, v2Role } from "../resources";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";
import { permissionNames, permissionRefs, roleNames, roleRefs } from "./v2_keys_settings";

const capitalized: Record<RbacTable, string> = { permissions: "Permissions", roles: "Roles" };

/**
 * keys.addPermissions, keys.removePermissions, keys.setPermissions and the same for roles: v2
 * names them in plain string lists and answers, after any of them, everything the key holds
 * directly. Permissions missing are created when added or set; roles must exist.
 */
export function keyLinkRoute(table: RbacTable, operation: "add" | "remove" | "set", summary: string) {
  const names = table === "permissions" ? permissionNames : roleNames;
  const listed = operation === "set" ? names : names.min(1, "must name at least one");
  const operationName = `${operation}${capitalized[table]}`;
  const request = z.strictObject({ keyId: id, [table]: listed }).openapi(`V2Keys${operationName[0]!.toUpperCase()}${operationName.slice(1)}Request`);
  const route = v2Operation({
    path: `/v2/keys.${operationName}`,
    tags: ["keys"],
    summary,
    request: { body: jsonBody(request) },
    responses: v2Response(z.array(table === "permissions" ? v2Permission : v2Role), `Everything the key now holds directly: ${table}, by name.`),
  });
  return {
    register(app: OpenAPIHono<AppEnv>) {
      app.openapi(route, async (c) => {
        const body = c.req.valid("json") as { keyId: string } & Record<RbacTable, string[]>;
        const { env } = c;
        const { caller } = c.var;
        const [keyId, given] = [body.keyId, body[table]];
        if (operation === "remove") {
          // Unkey v2 lets a permission to take away be named by its id too.
          const refs = table === "permissions" ? await refsByNameOrId(env, caller, table, given) : roleRefs(given);
          await removeFromKey(env, caller, table, keyId, refs);
        } else {
          await (operation === "add" ? addToKey : setOnKey)(env, caller, table, keyId, table === "permissions" ? permissionRefs(given) : roleRefs(given));
        }
        const held =
          table === "permissions" ? (await permissionsOfKey(env, caller, keyId)).map(renderPermission) : (await rolesOfKey(env, caller, keyId)).map(renderRole);
        return c.json(v2Data(c, held), 200);
      });
    },
  };
}
