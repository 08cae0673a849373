import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../env";
import { newKey } from "../../../schemas";
import { createKey } from "../../../services/keys/create";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";
import { creditsOfNewKey, expiry, newKeyCredits, permissionNames, roleNames } from "./v2_keys_settings";

const request = z
  .strictObject({
    apiId: newKey.shape.apiId,
    prefix: newKey.shape.prefix,
    name: newKey.shape.name,
    byteLength: newKey.shape.byteLength,
    externalId: newKey.shape.externalId,
    meta: newKey.shape.meta,
    roles: roleNames.optional().openapi({ description: "Role names; each must exist (404 otherwise)." }),
    permissions: permissionNames.optional().openapi({ description: "Permission names; a missing one is created (needs rbac.*.create_permission)." }),
    expires: expiry.optional(),
    credits: newKeyCredits.optional(),
    ratelimits: newKey.shape.ratelimits.openapi({
      description: "Named limits; `autoApply` ones are checked on every verify, the others when a verify names them.",
    }),
    enabled: newKey.shape.enabled,
    recoverable: z
      .boolean()
      .optional()
      .refine(
        (recoverable) => recoverable !== true,
        "Keygate stores only the SHA-256 hash of a key, never its plaintext, so no key is recoverable; omit it or send false",
      )
      .openapi({ description: "Must be false: Keygate stores only the key's hash." }),
    // Keygate's own, beyond Unkey v2.
    environment: newKey.shape.environment,
    ipAllowlist: newKey.shape.ipAllowlist,
  })
  .openapi("V2KeysCreateKeyRequest");

const route = v2Operation({
  path: "/v2/keys.createKey",
  tags: ["keys"],
  summary: "Issue a key. The plaintext is in this answer only; Keygate stores its hash.",
  request: { body: jsonBody(request) },
  responses: v2Response(z.object({ keyId: z.string(), key: z.string() }).openapi("V2KeysCreateKeyResponseData"), "The new key."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { credits, recoverable: _refusedAbove, ...settings } = c.req.valid("json");
    const created = await createKey(c.env, c.var.caller, { ...settings, ...creditsOfNewKey(credits) }, { rolesMustExist: true });
    return c.json(v2Data(c, created), 200);
  });
}
