import { authorize, type Caller } from "../auth/caller";
import { badRequest } from "../errors";
import type { Env } from "../env";
import { all, parseJson } from "../store/db";

export interface ListLogsInput {
  keyId?: string;
  apiId?: string;
  event?: string;
  since?: number;
  until?: number;
  limit: number;
  cursor?: string;
}

/** The workspace's audit trail, newest first; the cursor is the last entry's `time:id`. */
export async function listLogs(env: Env, caller: Caller, input: ListLogsInput) {
  authorize(caller, "audit.*.read_logs");
  const filters = ["workspace_id = ?"];
  const params: unknown[] = [caller.workspaceId];
  for (const [type, id] of [["key", input.keyId], ["api", input.apiId]] as const) {
    if (id === undefined) continue;
    filters.push("EXISTS (SELECT 1 FROM json_each(resources) r WHERE json_extract(r.value, '$.type') = ? AND json_extract(r.value, '$.id') = ?)");
    params.push(type, id);
  }
  if (input.event !== undefined) {
    filters.push("event = ?");
    params.push(input.event);
  }
  if (input.since !== undefined) {
    filters.push("time >= ?");
    params.push(input.since);
  }
  if (input.until !== undefined) {
    filters.push("time <= ?");
    params.push(input.until);
  }
  if (input.cursor !== undefined) {
    const match = /^(\d+):(log_\w+)$/.exec(input.cursor);
    if (!match) throw badRequest("cursor: not a cursor this endpoint returned");
    filters.push("(time < ? OR (time = ? AND id < ?))");
    params.push(Number(match[1]), Number(match[1]), match[2]);
  }
  const rows = await all<{ id: string; time: number; event: string; actor: string; resources: string; description: string; context: string }>(
    env,
    `SELECT id, time, event, actor, resources, description, context FROM audit_logs WHERE ${filters.join(" AND ")} ORDER BY time DESC, id DESC LIMIT ?`,
    ...params,
    input.limit + 1,
  );
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    logs: page.map((row) => ({
      id: row.id,
      time: row.time,
      event: row.event,
      actor: parseJson<{ type: string; id: string }>(row.actor, { type: "unknown", id: "" }),
      resources: parseJson<{ type: string; id: string }[]>(row.resources, []),
      description: row.description,
      context: parseJson<{ ipAddress: string | null; userAgent: string | null }>(row.context, { ipAddress: null, userAgent: null }),
    })),
    cursor: rows.length > input.limit && last ? `${last.time}:${last.id}` : undefined,
  };
}
