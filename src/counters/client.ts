import type { Env } from "../env";
import { type Answer, dependency, KeygateError, unwrap } from "../errors";
import { newId } from "../ids";
import { batch } from "../store/db";

export function keyState(env: Env, keyId: string) {
  return env.KEY_STATE.get(env.KEY_STATE.idFromName(keyId));
}

/** Asks a key's Durable Object: unreachable is a 503; a refusal is rethrown as its KeygateError. */
export async function askKeyState<T>(env: Env, keyId: string, call: (state: ReturnType<typeof keyState>) => Promise<unknown>): Promise<T> {
  const answer = (await dependency("Durable Object", () => call(keyState(env, keyId)))) as Answer<T>;
  return unwrap(answer);
}

/**
 * Runs a D1 write that changes what verify must answer for these keys, so that the very next
 * verify anywhere sees it: each key's Durable Object is fenced first (it reads D1 afresh until
 * released), then D1 is written, then the fences are released. If a fence cannot be placed,
 * nothing is written. If a release is lost, the fence lapses on its own (MAX_FENCE_MS), during
 * which verifies are merely slower, never stale.
 */
export async function writeFenced<T>(env: Env, keyIds: string[], write: () => Promise<T>): Promise<T> {
  const token = newId("req");
  const unique = [...new Set(keyIds)];
  const FAN_OUT = 50;
  const fenced: string[] = [];
  try {
    for (let i = 0; i < unique.length; i += FAN_OUT) {
      const batch = unique.slice(i, i + FAN_OUT);
      await Promise.all(batch.map((keyId) => keyState(env, keyId).fence(token)));
      fenced.push(...batch);
    }
  } catch (err) {
    await releaseAll(env, fenced, token);
    throw new KeygateError("SERVICE_UNAVAILABLE", "A key's Durable Object is unavailable; nothing was changed. Retry shortly.", { cause: err });
  }
  try {
    return await dependency("D1", write);
  } finally {
    await releaseAll(env, unique, token);
  }
}

/**
 * writeFenced for a batch whose set of affected keys can grow while it runs (a key linked to a
 * role that is being deleted). `affected` lists them as `key_id` rows; it runs before the fence,
 * and again as the first statement of the batch, where it sees exactly the keys the write
 * changes. Any of those not fenced beforehand are made to reload before this returns.
 */
export async function writeFencedBatch(env: Env, affected: () => D1PreparedStatement, statements: () => D1PreparedStatement[]): Promise<string[]> {
  const before = await dependency("D1", () => affected().all<{ key_id: string }>());
  const fenced = new Set(before.results.map((row) => row.key_id));
  const [atWrite] = await writeFenced(env, [...fenced], () => batch(env.DB, () => [affected(), ...statements()]));
  const changed = (atWrite!.results as { key_id: string }[]).map((row) => row.key_id);
  const missed = changed.filter((keyId) => !fenced.has(keyId));
  if (missed.length > 0) await writeFenced(env, missed, async () => undefined);
  return changed;
}

async function releaseAll(env: Env, keyIds: string[], token: string): Promise<void> {
  await Promise.allSettled(keyIds.map((keyId) => keyState(env, keyId).release(token)));
}
