import { apiPermission, authorize, type Caller } from "../auth/caller";
import { hashKey } from "../crypto/keys";
import type { Env } from "../env";
import { badRequest, KeygateError } from "../errors";
import type { ImportedKey, KeySettings } from "../schemas";
import { batch, isUniqueViolation } from "../store/db";
import { forgetKeyHash, takenKeyHashes } from "../store/keyLookup";
import { requireApi } from "./apis";
import { type KeySecret, newKeyStatements } from "./keys/create";
import { assertValidKeySettings } from "./keys/settings";
import { authorizeLinksOfNewKeys, type NewKeyRoles, resolveRbac, roleNamesToResolve } from "./rbac";

/**
 * Imports existing keys (Unkey's `migrations.createKeys`): all of them, or none. Their holders
 * keep using them unchanged, since Keygate stores the same SHA-256 hash.
 */
export async function createKeys(env: Env, caller: Caller, keys: ImportedKey[], options: NewKeyRoles = {}): Promise<{ keyIds: string[] }> {
  const apiIds = [...new Set(keys.map((key) => key.apiId))];
  for (const apiId of apiIds) authorize(caller, ...apiPermission(apiId, "create_key"));
  authorizeLinksOfNewKeys(caller, keys);
  const apis = new Map(await Promise.all(apiIds.map(async (apiId) => [apiId, await requireApi(env, caller, apiId)] as const)));
  const now = Date.now();
  assertValidImports(keys, now);
  const secrets = keys.map(secretOf);
  if (new Set(secrets.map((secret) => secret.hash)).size !== secrets.length) throw badRequest("the same key appears more than once");

  // Resolved once for all keys, so a name shared by several is created once.
  const [permissions, roles] = await Promise.all([
    resolveRbac(env, caller, "permissions", [...new Set(keys.flatMap((key) => key.permissions ?? []))]),
    resolveRbac(env, caller, "roles", roleNamesToResolve([...new Set(keys.flatMap((key) => key.roles ?? []))], options)),
  ]);
  const prepared = keys.map((key, i) =>
    newKeyStatements(env.DB, caller, apis.get(key.apiId)!, key, secrets[i]!, { permissions: permissions.rows, roles: roles.rows }, now, "Imported"),
  );
  try {
    await batch(env.DB, () => [...permissions.creates, ...roles.creates, ...prepared.flatMap((key) => key.statements())]);
  } catch (err) {
    if (isUniqueViolation(err, "keys")) {
      throw new KeygateError("CONFLICT", "A key with the same hash already exists; nothing was imported.");
    }
    throw err;
  }
  await Promise.all(secrets.map((secret) => forgetKeyHash(env.KEY_CACHE, secret.hash)));
  return { keyIds: prepared.map((key) => key.keyId) };
}

/**
 * Unkey v2's keys.migrateKeys: imports into one api, as createKeys does (all or none), the keys
 * whose hash no key has yet; a key whose hash is taken, or given earlier in the same call, is left
 * out instead of refusing the call. Roles must exist, as v2 gives them. Answers each key's new id,
 * or undefined for one left out.
 */
export async function importNewKeys(env: Env, caller: Caller, apiId: string, keys: Omit<ImportedKey, "apiId">[]): Promise<(string | undefined)[]> {
  // Before any hash is looked up: whether one is taken is for callers who may import.
  authorize(caller, ...apiPermission(apiId, "create_key"));
  authorizeLinksOfNewKeys(caller, keys);
  await requireApi(env, caller, apiId);
  assertValidImports(keys, Date.now());
  const hashes = keys.map((key, i) => secretOf(key, i).hash);
  const taken = await takenKeyHashes(env.DB, hashes);
  const fresh = keys.flatMap((key, i) => (taken.has(hashes[i]!) || hashes.indexOf(hashes[i]!) < i ? [] : [{ index: i, key: { ...key, apiId } }]));
  const keyIds: (string | undefined)[] = keys.map(() => undefined);
  if (fresh.length === 0) return keyIds;
  const created = await createKeys(
    env,
    caller,
    fresh.map(({ key }) => key),
    { rolesMustExist: true },
  );
  fresh.forEach(({ index }, i) => {
    keyIds[index] = created.keyIds[i];
  });
  return keyIds;
}

/** Each imported key's settings, checked as a new key's are; an error names the key by its index. */
function assertValidImports(keys: KeySettings[], now: number): void {
  keys.forEach((key, i) => {
    try {
      assertValidKeySettings(key, now);
    } catch (err) {
      throw err instanceof KeygateError ? badRequest(`keys.${i}: ${err.message}`) : err;
    }
  });
}

function secretOf(key: Omit<ImportedKey, "apiId">, index: number): KeySecret {
  if ((key.plaintext === undefined) === (key.hash === undefined)) {
    throw badRequest(`keys.${index}: give either plaintext or hash`);
  }
  if (key.plaintext !== undefined) {
    return { hash: hashKey(key.plaintext), start: key.start ?? key.plaintext.slice(0, Math.min(8, key.plaintext.length - 4)), last4: key.plaintext.slice(-4) };
  }
  // Only the hash is known: nothing of the plaintext can be shown but what the caller gives.
  return { hash: key.hash!.value, start: key.start ?? "", last4: "" };
}
