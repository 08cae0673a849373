import type { Caller } from "../auth/caller";
import type { Env } from "../env";
import { newId } from "../ids";

export type AuditEvent =
  | "api.create"
  | "api.update"
  | "api.delete"
  | "key.create"
  | "key.update"
  | "key.disable"
  | "key.enable"
  | "key.revoke"
  | "key.delete"
  | "key.reroll"
  | "key.ip_allowlist.update"
  | "key.remaining.update"
  | "key.permissions.update"
  | "key.roles.update"
  | "identity.create"
  | "identity.update"
  | "identity.delete"
  | "permission.create"
  | "permission.delete"
  | "role.create"
  | "role.delete"
  | "ratelimit.namespace.create"
  | "ratelimit.override.set"
  | "ratelimit.override.delete"
  | "root_key.create"
  | "root_key.delete"
  | "workspace.create";

export interface AuditEntry {
  event: AuditEvent;
  resources: { type: string; id: string }[];
  description: string;
}

/**
 * The audit row for a mutation, as a statement to put in the same D1 batch as the change
 * itself: both are written, or neither. Never give it a plaintext key.
 */
export function auditStatement(env: Env, caller: Caller, entry: AuditEntry, workspaceId = caller.workspaceId): D1PreparedStatement {
  return env.DB.prepare(
    `INSERT INTO audit_logs (id, workspace_id, time, event, actor, resources, description, context)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).bind(
    newId("log"),
    workspaceId,
    Date.now(),
    entry.event,
    JSON.stringify({ type: "root_key", id: caller.rootKeyId }),
    JSON.stringify(entry.resources),
    entry.description,
    JSON.stringify({ ipAddress: caller.ip, userAgent: caller.userAgent }),
  );
}
