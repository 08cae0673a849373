import { grants } from "../../src/auth/permissions";
import { ApiError, forgetRootKey, get, storedRootKey, storeRootKey } from "./api";

/** The signed-in root key, as rootKeys.whoami describes it. */
export interface RootKeyIdentity {
  id: string;
  name?: string;
  workspaceId: string;
  permissions: string[];
  expires?: number;
}

let signedIn: RootKeyIdentity | null = null;

/** Checks the root key with Keygate and keeps it for this tab only. */
export async function signIn(rootKey: string): Promise<RootKeyIdentity> {
  signedIn = await get<RootKeyIdentity>("rootKeys.whoami", {}, rootKey);
  storeRootKey(rootKey);
  return signedIn;
}

/** The identity of the root key this tab signed in with earlier, or null when there is none (or it is no longer valid). */
export async function resumeSession(): Promise<RootKeyIdentity | null> {
  const rootKey = storedRootKey();
  if (!rootKey) return null;
  try {
    return await signIn(rootKey);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) signOut();
    throw err;
  }
}

export function signOut(): void {
  forgetRootKey();
  signedIn = null;
}

export function identity(): RootKeyIdentity {
  if (!signedIn) throw new Error("Not signed in.");
  return signedIn;
}

/** Whether the signed-in root key holds a permission, with Keygate's own wildcard matching. */
export function can(permission: string): boolean {
  return signedIn !== null && grants(signedIn.permissions, permission);
}

/** `api.*.<action>` or `api.<apiId>.<action>`, as Keygate checks it. */
export function canOnApi(apiId: string, action: string): boolean {
  return can(`api.*.${action}`) || can(`api.${apiId}.${action}`);
}

/**
 * Whether the root key may do `action` on at least one resource of a kind whose permissions name
 * it (`api.<apiId>.read_key`, `ratelimit.<namespaceId>.read_override`), or on all of them.
 */
export function canOnSome(kind: "api" | "ratelimit", action: string): boolean {
  const named = new RegExp(`^${kind}\\.[^.]+\\.${action}$`);
  return can(`${kind}.*.${action}`) || (signedIn?.permissions.some((permission) => named.test(permission)) ?? false);
}
