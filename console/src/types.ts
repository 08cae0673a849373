/** The shapes of the /v1 answers the console reads (see /openapi.json). */

export interface Api {
  id: string;
  workspaceId: string;
  name?: string;
  ipAllowlist: string[];
  keyPrefixes: Record<string, string>;
  verifyMaxStalenessMs: number | null;
}

export interface Key {
  id: string;
  start: string;
  apiId?: string;
  name?: string;
  ownerId?: string;
  meta?: Record<string, unknown>;
  createdAt: number;
  updatedAt?: number;
  lastUsedAt?: number;
  expires?: number;
  remaining?: number;
  refill?: { interval: "daily" | "monthly"; amount: number; refillDay?: number | null; lastRefillAt?: number };
  ratelimit?: { limit: number; duration: number };
  ratelimits?: { name: string; limit: number; duration: number }[];
  roles?: string[];
  permissions?: string[];
  enabled?: boolean;
  environment?: string;
  ipAllowlist?: string[];
  revokedAt?: number;
  revokeReason?: string;
  identity?: { id: string; externalId: string };
}

export interface KeyPage {
  keys: Key[];
  cursor?: string;
  total: number;
}

export const OUTCOMES = [
  "valid",
  "rateLimited",
  "usageExceeded",
  "disabled",
  "expired",
  "forbidden",
  "insufficientPermissions",
  "unauthorized",
  "notFound",
] as const;

export type Outcome = (typeof OUTCOMES)[number];

/** A row of analytics.getVerifications grouped by day. */
export type DailyStats = { time: number; total: number } & Record<Outcome, number>;

export interface AuditLog {
  id: string;
  time: number;
  event: string;
  actor: { type: string; id: string };
  resources: { type: string; id: string }[];
  description: string;
}

export interface Identity {
  id: string;
  externalId: string;
  ratelimits: { name: string; limit: number; duration: number }[];
}

export interface Permission {
  id: string;
  name: string;
  description?: string;
}

export interface Role {
  id: string;
  name: string;
  description?: string;
}

export interface Override {
  id: string;
  identifier: string;
  limit: number;
  duration: number;
}

export interface RootKey {
  id: string;
  name?: string;
  start: string;
  permissions: string[];
  createdAt: number;
  expires?: number;
  createdBy: string | null;
}

/** A new key's plaintext, which the API shows only once. */
export interface IssuedKey {
  keyId: string;
  key: string;
}
