import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { authorizeOnSomeApi } from "../../../auth/caller";
import type { AppEnv } from "../../../env";
import { KeygateError } from "../../../errors";
import { cost, duration, environment, limit, meta, name, plaintextKey } from "../../../schemas";
import { verifyKey } from "../../../services/verify";
import { DEFAULT_LIMIT, type VerifyResult } from "../../../verify/decide";
import { PermissionQuerySyntaxError, parsePermissionQuery } from "../../../verify/permissionQuery";
import { jsonBody } from "../../surface";
import { v2Identity, v2Ratelimit } from "../resources";
import { v2Operation } from "../route";
import { v2Data, v2Response } from "../schemas";

const request = z
  .strictObject({
    key: plaintextKey.openapi({ example: "sk_1234" }),
    tags: z.array(z.string().max(128)).max(20).optional().openapi({ description: "Kept with the verification's count, for analytics by tag." }),
    permissions: z.string().min(1).max(4096).optional().openapi({
      description: "A permission query: slugs joined by AND and OR, grouped with parentheses.",
      example: "documents.read AND (documents.write OR admin)",
    }),
    credits: z.strictObject({ cost }).optional().openapi({ description: "Credits to spend (default 1; 0 spends none)." }),
    ratelimits: z
      .array(z.strictObject({ name, cost: cost.optional(), limit: limit.optional(), duration: duration.optional() }))
      .max(10)
      .optional()
      .openapi({ description: "Limits of the key or its identity to check by name, or ad hoc with limit and duration." }),
    migrationId: z
      .string()
      .max(256)
      .optional()
      .openapi({ description: "Accepted for compatibility: keys migrated into Keygate are stored as SHA-256 hashes and verify like any other." }),
    environment: environment.optional().openapi({ description: "Keygate: when set, the key must belong to this environment." }),
  })
  .openapi("V2KeysVerifyKeyRequest");

const verifiedLimit = v2Ratelimit.extend({ exceeded: z.boolean(), reset: z.number(), remaining: z.number() }).openapi("V2VerifiedRatelimit");

const answer = z
  .object({
    valid: z.boolean(),
    code: z.enum(["VALID", "NOT_FOUND", "FORBIDDEN", "INSUFFICIENT_PERMISSIONS", "USAGE_EXCEEDED", "RATE_LIMITED", "DISABLED", "EXPIRED"]),
    keyId: z.string().optional(),
    name: z.string().optional(),
    meta: meta.optional(),
    expires: z.number().optional(),
    credits: z.number().optional().openapi({ description: "Credits left; absent for a key without a credit limit." }),
    enabled: z.boolean().optional(),
    permissions: z.array(z.string()).optional(),
    roles: z.array(z.string()).optional(),
    identity: v2Identity.optional(),
    ratelimits: z.array(verifiedLimit).optional(),
    environment: z.string().optional(),
  })
  .openapi("V2KeysVerifyKeyResponseData");

const route = v2Operation({
  path: "/v2/keys.verifyKey",
  tags: ["keys"],
  summary: "Verify a key: every outcome is a 200 with `valid` and `code`.",
  description:
    "Needs a root key with `api.*.verify_key` or `api.<apiId>.verify_key` (403 without any). A key of an api the root key may not verify is `NOT_FOUND`.",
  request: { body: jsonBody(request) },
  responses: v2Response(answer, "The verification result."),
});

/** v2 names the permission query's syntax errors like any invalid field. */
function permissionQueryOf(text: string | undefined) {
  if (text === undefined) return undefined;
  try {
    return parsePermissionQuery(text);
  } catch (err) {
    if (!(err instanceof PermissionQuerySyntaxError)) throw err;
    const message = `permissions: ${err.message}`;
    throw new KeygateError("BAD_REQUEST", message, { fields: [{ location: "body.permissions", message: err.message }] });
  }
}

/** Each checked limit in v2's shape: the key's v1 `ratelimit` is "default", always applied; ad hoc ones are named for their id. */
function checkedLimits(result: VerifyResult): z.infer<typeof verifiedLimit>[] | undefined {
  return result.ratelimits?.map((state) => {
    const configured = result.namedLimits?.get(state.name);
    const legacy = state.name === DEFAULT_LIMIT && !configured;
    return {
      id: configured?.id ?? (legacy ? `${result.keyId}:${DEFAULT_LIMIT}` : state.name),
      name: state.name,
      limit: state.limit,
      duration: state.duration,
      autoApply: configured?.autoApply ?? legacy,
      exceeded: state.exceeded === true,
      reset: state.reset,
      remaining: state.remaining,
    };
  });
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    authorizeOnSomeApi(c.var.caller, "verify_key");
    const body = c.req.valid("json");
    const result = await verifyKey(
      c.env,
      {
        key: body.key,
        askedBy: c.var.caller,
        permissions: permissionQueryOf(body.permissions),
        creditCost: body.credits?.cost ?? 1,
        ratelimitCost: 1,
        ratelimits: body.ratelimits,
        environment: body.environment,
        clientIp: c.req.header("cf-connecting-ip"),
        tags: body.tags,
      },
      c.executionCtx,
    );
    return c.json(
      v2Data(c, {
        valid: result.valid,
        code: result.code,
        keyId: result.keyId,
        name: result.name,
        meta: result.meta,
        expires: result.expires,
        credits: result.remaining,
        enabled: result.enabled,
        permissions: result.permissions,
        roles: result.roles,
        identity: result.identity,
        ratelimits: checkedLimits(result),
        environment: result.environment,
      }),
      200,
    );
  });
}
