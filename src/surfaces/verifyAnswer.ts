import { z } from "@hono/zod-openapi";
import { meta } from "../schemas";
import type { VerifyResult } from "../verify/decide";

/**
 * A verify outcome in Unkey v1's shape: the body of keys.verifyKey, and of the gateway's 200
 * (which the Hono middleware reads, typed from this schema).
 */
export const verifyAnswerSchema = z.object({
  keyId: z.string().optional(),
  valid: z.boolean(),
  name: z.string().optional(),
  ownerId: z.string().optional(),
  meta: meta.optional(),
  expires: z.number().optional(),
  ratelimit: z.object({ limit: z.number(), remaining: z.number(), reset: z.number() }).optional(),
  remaining: z.number().optional(),
  code: z.enum(["VALID", "NOT_FOUND", "FORBIDDEN", "USAGE_EXCEEDED", "RATE_LIMITED", "UNAUTHORIZED", "DISABLED", "INSUFFICIENT_PERMISSIONS", "EXPIRED"]),
  enabled: z.boolean().optional(),
  permissions: z.array(z.string()).optional(),
  roles: z.array(z.string()).optional(),
  environment: z.string().optional(),
  identity: z.object({ id: z.string(), externalId: z.string(), meta: meta }).optional(),
  requestId: z.string(),
});

export type VerifyAnswer = z.infer<typeof verifyAnswerSchema>;

export function verifyAnswer(result: VerifyResult, requestId: string): VerifyAnswer {
  return {
    keyId: result.keyId,
    valid: result.valid,
    name: result.name,
    ownerId: result.ownerId,
    meta: result.meta,
    expires: result.expires,
    ratelimit: result.ratelimit,
    remaining: result.remaining,
    code: result.code,
    enabled: result.enabled,
    permissions: result.permissions,
    roles: result.roles,
    environment: result.environment,
    identity: result.identity,
    requestId,
  };
}
