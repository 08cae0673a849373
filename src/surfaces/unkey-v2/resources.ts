import { z } from "@hono/zod-openapi";
import { meta, refillInterval } from "../../schemas";
import type { getKey } from "../../services/keys/read";
import { DEFAULT_LIMIT } from "../../verify/decide";

/** The resources Unkey v2 answers with, in its shapes, and how Keygate's services map onto them. */

export const v2Ratelimit = z
  .object({
    id: z.string(),
    name: z.string(),
    limit: z.number(),
    duration: z.number(),
    autoApply: z.boolean().openapi({ description: "Checked on every verify without being named." }),
  })
  .openapi("V2Ratelimit");

export const v2Identity = z
  .object({ id: z.string(), externalId: z.string(), meta: meta.optional(), ratelimits: z.array(v2Ratelimit).optional() })
  .openapi("V2Identity");

export const v2Permission = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string().openapi({ description: "How Unkey v2 names the permission; verify checks a permission query against names and slugs alike." }),
    description: z.string().optional(),
  })
  .openapi("V2Permission");

/** A role; the permissions.* operations answer its permissions too, the key links do not. */
export const v2Role = z
  .object({ id: z.string(), name: z.string(), description: z.string().optional(), permissions: z.array(v2Permission).optional() })
  .openapi("V2Role");

export const v2Credits = z
  .object({
    remaining: z.number().nullable().openapi({ description: "null: unlimited." }),
    refill: z.object({ interval: refillInterval, amount: z.number(), refillDay: z.number().optional() }).optional(),
  })
  .openapi("V2KeyCredits");

export const v2Key = z
  .object({
    keyId: z.string(),
    start: z.string(),
    enabled: z.boolean(),
    name: z.string().optional(),
    meta: meta.optional(),
    createdAt: z.number(),
    updatedAt: z.number().optional(),
    lastUsedAt: z.number().optional().openapi({ description: "When the key was last verified; counted with its verifications, so up to ~10 s late." }),
    expires: z.number().optional(),
    permissions: z.array(z.string()).optional(),
    roles: z.array(z.string()).optional(),
    credits: v2Credits.optional(),
    identity: v2Identity.optional(),
    ratelimits: z.array(v2Ratelimit).optional(),
    // Keygate's own, beyond Unkey v2.
    apiId: z.string().optional(),
    environment: z.string().optional(),
    ipAllowlist: z.array(z.string()).optional(),
    revokedAt: z.number().optional(),
    revokeReason: z.string().optional(),
  })
  .openapi("V2Key");
export type V2Key = z.infer<typeof v2Key>;

type ServiceKey = Awaited<ReturnType<typeof getKey>>;

/**
 * A key as v2 shows it. The key's own v1 `ratelimit` is the limit v2 calls `default`, applied on
 * every verify (autoApply).
 */
export function toV2Key(key: ServiceKey): V2Key {
  const legacy = key.ratelimit
    ? [{ id: `${key.id}:${DEFAULT_LIMIT}`, name: DEFAULT_LIMIT, limit: key.ratelimit.limit, duration: key.ratelimit.duration, autoApply: true }]
    : [];
  const ratelimits = [...legacy, ...key.ratelimits];
  return {
    keyId: key.id,
    start: key.start,
    enabled: key.enabled,
    name: key.name,
    meta: key.meta,
    createdAt: key.createdAt,
    updatedAt: key.updatedAt,
    lastUsedAt: key.lastUsedAt,
    expires: key.expires,
    permissions: key.permissions,
    roles: key.roles,
    credits:
      key.remaining === undefined && !key.refill
        ? undefined
        : {
            remaining: key.remaining ?? null,
            refill: key.refill && { interval: key.refill.interval, amount: key.refill.amount, refillDay: key.refill.refillDay ?? undefined },
          },
    identity: key.identity && { id: key.identity.id, externalId: key.identity.externalId, meta: key.identity.meta },
    ratelimits: ratelimits.length > 0 ? ratelimits : undefined,
    apiId: key.apiId,
    environment: key.environment,
    ipAllowlist: key.ipAllowlist.length > 0 ? key.ipAllowlist : undefined,
    revokedAt: key.revokedAt,
    revokeReason: key.revokeReason,
  };
}
