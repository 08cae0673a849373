import { all, first } from "./db";
import { LruCache } from "./lru";

/**
 * What a key's hash resolves to. Every field here is fixed for the key's whole life, so it can be
 * cached anywhere without going stale: whether the key is still usable (deleted, disabled,
 * revoked, expired, its permissions…) is decided by the key's Durable Object on every verify.
 */
export interface KeyRef {
  keyId: string;
  apiId: string;
  workspaceId: string;
}

/** Bounded so an isolate's memory stays small (measured: ~231 bytes an entry, ~2.3 MB at the bound). */
export const KEY_CACHE_ENTRIES = 10_000;
const FOUND_TTL_MS = 10 * 60_000;
/**
 * Unknown hashes are remembered briefly, to spare D1 a flood of garbage keys. Only an imported
 * key (migrations.createKeys) can have been presented before it existed; other isolates may then
 * answer NOT_FOUND for it for at most this long, never VALID for a key that is gone.
 */
const UNKNOWN_TTL_MS = 5_000;
const KV_TTL_SECONDS = 24 * 60 * 60;

const isolateCache = new LruCache<KeyRef | null>(KEY_CACHE_ENTRIES, FOUND_TTL_MS);

/** hash → key: in-isolate LRU, then KV, then D1 (the source of truth). */
export async function lookupKeyByHash(db: D1Database, kv: KVNamespace, hash: string, ctx?: Pick<ExecutionContext, "waitUntil">): Promise<KeyRef | null> {
  const cached = isolateCache.get(hash);
  if (cached !== undefined) return cached;

  const fromKv = await readKv(kv, hash);
  if (fromKv) {
    isolateCache.set(hash, fromKv);
    return fromKv;
  }

  const row = await first<{ id: string; api_id: string; workspace_id: string }>(
    db,
    "SELECT id, api_id, workspace_id FROM keys WHERE hash = ? AND deleted_at IS NULL",
    hash,
  );
  if (!row) {
    isolateCache.set(hash, null, UNKNOWN_TTL_MS);
    return null;
  }
  const ref: KeyRef = { keyId: row.id, apiId: row.api_id, workspaceId: row.workspace_id };
  isolateCache.set(hash, ref);
  const write = ignoreFailure(() => kv.put(kvKey(hash), JSON.stringify(ref), { expirationTtl: KV_TTL_SECONDS }));
  if (ctx) ctx.waitUntil(write);
  return ref;
}

/** KV is only a cache: when it fails, D1 still answers. */
async function readKv(kv: KVNamespace, hash: string): Promise<KeyRef | null> {
  try {
    return await kv.get<KeyRef>(kvKey(hash), "json");
  } catch {
    return null;
  }
}

async function ignoreFailure(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch {
    // A cache write that failed only costs a later D1 read.
  }
}

/** Drops a hash's entries: a deleted key's, so caches keep no garbage; an imported key's "unknown". */
export async function forgetKeyHash(kv: KVNamespace, hash: string): Promise<void> {
  isolateCache.delete(hash);
  await ignoreFailure(() => kv.delete(kvKey(hash)));
}

/** Which of these hashes a key already has, in any workspace, deleted keys included: no two keys share a hash. */
export async function takenKeyHashes(db: D1Database, hashes: string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await all<{ hash: string }>(db, `SELECT hash FROM keys WHERE hash IN (${hashes.map(() => "?").join(", ")})`, ...hashes);
  return new Set(rows.map((row) => row.hash));
}

const kvKey = (hash: string) => `keyhash:${hash}`;
