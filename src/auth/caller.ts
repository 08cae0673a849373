import type { Context } from "hono";
import type { AppEnv } from "../env";
import { KeygateError } from "../errors";
import { grants } from "./permissions";

/** Who is making a management call, as services see it: no Hono types past the route. */
export interface Caller {
  workspaceId: string;
  rootKeyId: string;
  /** When the caller's root key expires (unix ms), or null if never. */
  rootKeyExpires: number | null;
  permissions: string[];
  ip: string | null;
  userAgent: string | null;
}

/** The root key that authenticated a request, as requireRootKey found it. */
export interface RootKeyGrant {
  id: string;
  workspaceId: string;
  permissions: string[];
  /** Unix ms; null for a root key that never expires, such as the bootstrap key. */
  expires: number | null;
}

export function callerFrom(c: Context<AppEnv>, rootKey: RootKeyGrant): Caller {
  return {
    workspaceId: rootKey.workspaceId,
    rootKeyId: rootKey.id,
    rootKeyExpires: rootKey.expires,
    permissions: rootKey.permissions,
    ip: c.req.header("cf-connecting-ip") ?? null,
    userAgent: c.req.header("user-agent")?.slice(0, 512) ?? null,
  };
}

/** Passes when the caller holds any one of the permissions; otherwise 403 naming them. */
export function authorize(caller: Caller, ...anyOf: string[]): void {
  if (!anyOf.some((permission) => grants(caller.permissions, permission))) {
    throw new KeygateError("INSUFFICIENT_PERMISSIONS", `This root key needs the permission ${anyOf.join(" or ")}.`);
  }
}

/**
 * Passes when the caller may do `action` on at least one api (`api.*.<action>`, or
 * `api.<apiId>.<action>` for some api); otherwise 403. For calls that find out which api only
 * later, and then check that one: v2's verifyKey, listing apis.
 */
export function authorizeOnSomeApi(caller: Caller, action: string): void {
  const onSomeApi = (pattern: string) => grants([pattern], `api.*.${action}`) || (pattern.startsWith("api.") && pattern.endsWith(`.${action}`));
  if (!caller.permissions.some(onSomeApi)) {
    throw new KeygateError("INSUFFICIENT_PERMISSIONS", `This root key needs the permission api.*.${action} or api.<apiId>.${action}.`);
  }
}

/** Whether the caller may verify keys of this api in this workspace. */
export function mayVerifyKeysOf(caller: Caller, key: { apiId: string; workspaceId: string }): boolean {
  return key.workspaceId === caller.workspaceId && apiPermission(key.apiId, "verify_key").some((permission) => grants(caller.permissions, permission));
}

/** `api.*.<action>` or `api.<apiId>.<action>`. */
export function apiPermission(apiId: string, action: string): string[] {
  return [`api.*.${action}`, `api.${apiId}.${action}`];
}
