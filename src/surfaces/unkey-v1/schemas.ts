import { z } from "@hono/zod-openapi";
import { meta, namedLimit, refillInterval } from "../../schemas";
import { ERROR_STATUS_DESCRIPTIONS, errorResponses } from "../surface";

/** Unkey v1's envelopes and the shapes only its routes answer with. */

const errorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "BAD_REQUEST" }),
      docs: z.string(),
      message: z.string(),
      requestId: z.string(),
    }),
  })
  .openapi("Error");

/** The error statuses every Unkey-style route may answer. */
export const unkeyErrorResponses = errorResponses(errorBody, {
  400: "The request is malformed; `message` names the field.",
  ...ERROR_STATUS_DESCRIPTIONS,
});

export { jsonBody } from "../surface";

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  200: { description, content: { "application/json": { schema } } },
  ...unkeyErrorResponses,
});

/** A page of a list: `limit` up to 100, `cursor` from the previous page. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(100),
  cursor: z.string().max(256).optional(),
};

export const keySchema = z
  .object({
    id: z.string(),
    start: z.string(),
    workspaceId: z.string(),
    apiId: z.string().optional(),
    name: z.string().optional(),
    ownerId: z.string().optional(),
    meta: meta.optional(),
    createdAt: z.number(),
    updatedAt: z.number().optional(),
    lastUsedAt: z.number().optional().openapi({ description: "When the key was last verified; counted with its verifications, so up to ~10 s late." }),
    expires: z.number().optional(),
    remaining: z.number().optional(),
    refill: z
      .object({
        interval: refillInterval,
        amount: z.number(),
        refillDay: z.number().nullable().optional(),
        lastRefillAt: z.number().optional(),
      })
      .optional(),
    ratelimit: z.object({ async: z.boolean(), type: z.enum(["fast", "consistent"]).optional(), limit: z.number(), duration: z.number() }).optional(),
    ratelimits: z.array(namedLimit).optional().openapi({ description: "The key's named limits." }),
    roles: z.array(z.string()).optional(),
    permissions: z.array(z.string()).optional(),
    enabled: z.boolean().optional(),
    environment: z.string().optional(),
    tier: z.string().optional(),
    ipAllowlist: z.array(z.string()).optional(),
    revokedAt: z.number().optional(),
    revokeReason: z.string().optional(),
    identity: z.object({ id: z.string(), externalId: z.string(), meta: meta.optional() }).optional(),
  })
  .openapi("Key");

export const permissionSchema = z.object({ id: z.string(), name: z.string(), slug: z.string(), description: z.string().optional() }).openapi("Permission");

export const roleSchema = z.object({ id: z.string(), name: z.string(), description: z.string().optional() }).openapi("Role");

/** What keys.add* and keys.set* answer: the permissions or roles, by id and name. */
export const rbacRows = z.array(z.object({ id: z.string(), name: z.string() }));

export const identitySchema = z
  .object({
    id: z.string(),
    externalId: z.string(),
    meta,
    ratelimits: z.array(namedLimit),
    tier: z.string().optional(),
  })
  .openapi("Identity");

export const overrideSchema = z
  .object({
    id: z.string(),
    identifier: z.string(),
    limit: z.number(),
    duration: z.number(),
    async: z.boolean().nullable().optional(),
  })
  .openapi("RatelimitOverride");

/** Unix milliseconds given in a query string. */
export const unixMsQuery = z.coerce.number().int().min(0).max(8.64e15);

/** At most this many keys an import call, so one D1 batch holds them all. */
export const MAX_IMPORTED_KEYS = 100;
