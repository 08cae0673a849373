import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { base64, hex } from "@scure/base";
import type { AppEnv } from "../../../env";
import { displayName, id, meta, namedLimits } from "../../../schemas";
import { importNewKeys } from "../../../services/migrations";
import { jsonBody } from "../../surface";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";
import { creditsOfNewKey, expiry, newKeyCredits, permissionNames, roleNames } from "./v2_keys_settings";

/** One D1 statement binds at most 100 values, and the taken hashes are looked up in one. */
const MAX_MIGRATED_KEYS = 100;

const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** The hash as Keygate stores it: base64 of the SHA-256 digest. */
const storedHash = (hash: string) => (HEX_SHA256.test(hash) ? base64.encode(hex.decode(hash.toLowerCase())) : hash);

const migratedKey = z.strictObject({
  hash: z
    .string()
    .refine(
      (hash) => BASE64_SHA256.test(hash) || HEX_SHA256.test(hash),
      "must be the SHA-256 digest of the key, in base64 (44 characters) or hex (64 characters)",
    )
    .openapi({ description: "SHA-256 of the plaintext key, in base64 (as Unkey exports it) or hex.", example: "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=" }),
  name: displayName().optional(),
  externalId: displayName().optional().openapi({ description: "Links the key to this identity, creating it if needed." }),
  meta: meta.optional(),
  roles: roleNames.optional().openapi({ description: "Role names; each must exist (404 otherwise, and nothing is imported)." }),
  permissions: permissionNames.optional().openapi({ description: "Permission names; a missing one is created (needs rbac.*.create_permission)." }),
  expires: expiry.optional(),
  enabled: z.boolean().optional(),
  credits: newKeyCredits.optional(),
  ratelimits: namedLimits.optional(),
});

const request = z
  .strictObject({
    migrationId: z.string().min(1).max(256).openapi({
      description: "Accepted for compatibility and ignored: Keygate stores plain SHA-256 hashes, so there is no provider-specific hashing to choose.",
    }),
    apiId: id,
    keys: z.array(migratedKey).min(1, "give at least one key").max(MAX_MIGRATED_KEYS, `migrate at most ${MAX_MIGRATED_KEYS} keys a call`),
  })
  .openapi("V2KeysMigrateKeysRequest");

const response = z
  .object({
    migrated: z.array(z.object({ hash: z.string(), keyId: z.string() })),
    failed: z.array(z.string()).openapi({ description: "Hashes not imported: a key already has them, or they were given earlier in the call." }),
  })
  .openapi("V2KeysMigrateKeysResponseData");

const route = v2Operation({
  path: "/v2/keys.migrateKeys",
  tags: ["keys"],
  summary: "Import existing keys by the SHA-256 hash of their plaintext; their holders keep using them unchanged.",
  description:
    "The keys whose hash is new are imported together before the answer, all or none; those whose hash a key already has are listed in `failed`. Each hash is echoed as given.",
  request: { body: jsonBody(request) },
  responses: v2Response(response, "The keys imported, and the hashes that were not."),
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { apiId, keys } = c.req.valid("json");
    const imported = keys.map(({ hash, credits, ...settings }) => ({
      ...settings,
      ...creditsOfNewKey(credits),
      hash: { value: storedHash(hash), variant: "sha256_base64" as const },
    }));
    const keyIds = await importNewKeys(c.env, c.var.caller, apiId, imported);
    const migrated = keys.flatMap(({ hash }, i) => (keyIds[i] ? [{ hash, keyId: keyIds[i] }] : []));
    const failed = keys.flatMap(({ hash }, i) => (keyIds[i] ? [] : [hash]));
    return c.json(v2Data(c, { migrated, failed }), 200);
  });
}
