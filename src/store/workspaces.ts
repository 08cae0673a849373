import { KeygateError } from "../errors";
import type { Env } from "../env";
import { first } from "./db";
import { LruCache } from "./lru";

/** A workspace's name never changes, so each isolate reads it from D1 once. */
const names = new LruCache<string>(1_000, Number.POSITIVE_INFINITY);

export async function workspaceName(env: Env, workspaceId: string): Promise<string> {
  const cached = names.get(workspaceId);
  if (cached !== undefined) return cached;
  const row = await first<{ name: string }>(env, "SELECT name FROM workspaces WHERE id = ?", workspaceId);
  // Every key references its workspace, so a missing row is Keygate's fault, not the caller's.
  if (!row) throw new KeygateError("INTERNAL_SERVER_ERROR", `Workspace ${workspaceId} is missing.`);
  names.set(workspaceId, row.name);
  return row.name;
}
