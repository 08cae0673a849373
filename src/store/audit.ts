import type { Caller } from "../auth/caller";
import { newId } from "../ids";
import { all } from "./db";

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
  | "role.permissions.update"
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
export function auditStatement(db: D1Database, caller: Caller, entry: AuditEntry, workspaceId = caller.workspaceId): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO audit_logs (id, workspace_id, time, event, actor, resources, description, context)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
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

export interface AuditRow {
  id: string;
  time: number;
  event: string;
  /** JSON: `{type, id}`. */
  actor: string;
  /** JSON array of `{type, id}`. */
  resources: string;
  description: string;
  /** JSON: `{ipAddress, userAgent}`. */
  context: string;
}

export interface AuditQuery {
  /** Only entries naming this key, or this api, among their resources. */
  keyId?: string;
  apiId?: string;
  event?: string;
  since?: number;
  until?: number;
  /** Only entries older than this one: the last of the previous page. */
  before?: { time: number; id: string };
  limit: number;
}

/** A page of the workspace's audit entries, newest first, with one row more than the page when there is more. */
export function listAuditRows(db: D1Database, workspaceId: string, query: AuditQuery): Promise<AuditRow[]> {
  const filters = ["workspace_id = ?"];
  const params: unknown[] = [workspaceId];
  for (const [type, id] of [
    ["key", query.keyId],
    ["api", query.apiId],
  ] as const) {
    if (id === undefined) continue;
    filters.push("EXISTS (SELECT 1 FROM json_each(resources) r WHERE json_extract(r.value, '$.type') = ? AND json_extract(r.value, '$.id') = ?)");
    params.push(type, id);
  }
  if (query.event !== undefined) {
    filters.push("event = ?");
    params.push(query.event);
  }
  if (query.since !== undefined) {
    filters.push("time >= ?");
    params.push(query.since);
  }
  if (query.until !== undefined) {
    filters.push("time <= ?");
    params.push(query.until);
  }
  if (query.before !== undefined) {
    filters.push("(time < ? OR (time = ? AND id < ?))");
    params.push(query.before.time, query.before.time, query.before.id);
  }
  return all<AuditRow>(
    db,
    `SELECT id, time, event, actor, resources, description, context FROM audit_logs WHERE ${filters.join(" AND ")} ORDER BY time DESC, id DESC LIMIT ?`,
    ...params,
    query.limit + 1,
  );
}
