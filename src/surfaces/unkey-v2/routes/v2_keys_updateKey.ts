import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { keyUpdate, namedLimits } from "../../../schemas";
import { updateKey } from "../../../services/keys/update";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";
import { creditsChange, creditsUpdate, expiry, permissionNames, permissionRefs, ratelimitsChange, roleNames, roleRefs } from "./v2_keys_settings";

const request = z
  .strictObject({
    keyId: keyUpdate.shape.keyId,
    name: keyUpdate.shape.name,
    externalId: keyUpdate.shape.externalId.openapi({ description: "Links the key to this identity, creating it if needed; null unlinks it." }),
    meta: keyUpdate.shape.meta,
    expires: expiry.nullable().optional().openapi({ description: "null: the key never expires." }),
    credits: creditsUpdate.nullable().optional().openapi({ description: "null: unlimited credits, without refill." }),
    ratelimits: namedLimits
      .nullable()
      .optional()
      .openapi({ description: "Replaces all of the key's limits (its v1 `ratelimit`, shown as `default`, included); null or [] removes them." }),
    enabled: keyUpdate.shape.enabled,
    roles: roleNames.optional().openapi({ description: "Replaces the key's roles; each must exist." }),
    permissions: permissionNames
      .optional()
      .openapi({ description: "Replaces the key's permissions; a missing one is created (needs rbac.*.create_permission)." }),
    // Keygate's own, beyond Unkey v2.
    ipAllowlist: keyUpdate.shape.ipAllowlist,
  })
  .openapi("V2KeysUpdateKeyRequest");

const route = v2Operation({
  path: "/v2/keys.updateKey",
  tags: ["keys"],
  summary: "Change a key: only the fields given change, and null clears one. Returns once every verify, anywhere, sees the change.",
  request: { body: jsonBody(request) },
  responses: v2Response(z.object({}), "Updated."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { credits, ratelimits, roles, permissions, ...fields } = c.req.valid("json");
    await updateKey(c.env, c.var.caller, {
      ...fields,
      ...creditsChange(credits),
      ...ratelimitsChange(ratelimits),
      roles: roles && roleRefs(roles),
      permissions: permissions && permissionRefs(permissions),
    });
    return c.json(v2Data(c, {}), 200);
  });
}
