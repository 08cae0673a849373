import type { Env } from "../env";
import { first } from "./db";

export interface ApiRow {
  id: string;
  workspace_id: string;
  name: string;
  ip_allowlist: string;
  key_prefixes: string;
  created_at: number;
}

/** A live api of this workspace; another workspace's api is indistinguishable from none. */
export function findApi(env: Env, workspaceId: string, apiId: string): Promise<ApiRow | null> {
  return first<ApiRow>(env, "SELECT * FROM apis WHERE id = ? AND workspace_id = ? AND deleted_at IS NULL", apiId, workspaceId);
}

export function insertApi(env: Env, api: Omit<ApiRow, "ip_allowlist" | "key_prefixes"> & { ipAllowlist: string[]; keyPrefixes: Record<string, string> }) {
  return env.DB.prepare(
    "INSERT INTO apis (id, workspace_id, name, ip_allowlist, key_prefixes, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  ).bind(api.id, api.workspace_id, api.name, JSON.stringify(api.ipAllowlist), JSON.stringify(api.keyPrefixes), api.created_at);
}

export function softDeleteApi(env: Env, apiId: string, now: number) {
  return [
    env.DB.prepare("UPDATE apis SET deleted_at = ? WHERE id = ?").bind(now, apiId),
    env.DB.prepare("UPDATE keys SET deleted_at = ? WHERE api_id = ? AND deleted_at IS NULL").bind(now, apiId),
  ];
}

/** The api's live keys, as `key_id` rows. */
export function liveKeysOfApiStatement(env: Env, apiId: string): D1PreparedStatement {
  return env.DB.prepare("SELECT id AS key_id FROM keys WHERE api_id = ? AND deleted_at IS NULL").bind(apiId);
}
