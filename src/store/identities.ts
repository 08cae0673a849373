import type { Env } from "../env";
import { newId } from "../ids";

/**
 * Points a key at the identity with this externalId, creating the identity if needed, as
 * statements for the same batch as the key write (so a failed write leaves no identity behind).
 */
export function linkKeyToExternalId(env: Env, workspaceId: string, keyId: string, externalId: string | null, now: number): D1PreparedStatement[] {
  if (externalId === null) return [env.DB.prepare("UPDATE keys SET identity_id = NULL WHERE id = ?").bind(keyId)];
  return [
    env.DB.prepare("INSERT OR IGNORE INTO identities (id, workspace_id, external_id, created_at) VALUES (?, ?, ?, ?)").bind(
      newId("id"),
      workspaceId,
      externalId,
      now,
    ),
    env.DB.prepare(
      "UPDATE keys SET identity_id = (SELECT id FROM identities WHERE workspace_id = ? AND external_id = ? AND deleted_at IS NULL) WHERE id = ?",
    ).bind(workspaceId, externalId, keyId),
  ];
}
