import { env } from "cloudflare:test";
import { hashKey } from "../../src/crypto/keys";

/** A root key stored in D1 that holds only these permissions, in this workspace (created if new). */
export async function rootKeyWith(permissions: string[], workspaceId = "ws_default"): Promise<string> {
  const plaintext = `test_root_${crypto.randomUUID()}`;
  await env.DB.batch([
    env.DB.prepare("INSERT OR IGNORE INTO workspaces (id, name, created_at) VALUES (?, ?, ?)").bind(workspaceId, workspaceId, Date.now()),
    env.DB.prepare("INSERT INTO root_keys (id, workspace_id, hash, start, permissions, created_at) VALUES (?, ?, ?, ?, ?, ?)").bind(
      `root_${crypto.randomUUID()}`,
      workspaceId,
      hashKey(plaintext),
      plaintext.slice(0, 10),
      JSON.stringify(permissions),
      Date.now(),
    ),
  ]);
  return plaintext;
}

/** A root key with every permission in a fresh workspace of its own. */
export const otherWorkspaceRootKey = () => rootKeyWith(["*"], `ws_${crypto.randomUUID()}`);

/** Storage is shared between tests, so names must not repeat. */
export const uniqueName = (label: string) => `${label}.${crypto.randomUUID().slice(0, 8)}`;

/** The audit events recorded about a resource, oldest first. */
export async function auditEventsOf(resourceId: string): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT event FROM audit_logs WHERE resources LIKE ? ORDER BY time, rowid")
    .bind(`%"${resourceId}"%`)
    .all<{ event: string }>();
  return results.map((row) => row.event);
}
