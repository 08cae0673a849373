import { authorize, type Caller } from "../auth/caller";
import type { Env } from "../env";
import { badRequest } from "../errors";
import { type AuditRow, listAuditRows } from "../store/audit";
import { parseJson } from "../store/db";

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
  const { cursor, ...query } = input;
  const rows = await listAuditRows(env.DB, caller.workspaceId, { ...query, before: cursor === undefined ? undefined : entryOfCursor(cursor) });
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    logs: page.map(renderLog),
    cursor: rows.length > input.limit && last ? `${last.time}:${last.id}` : undefined,
  };
}

function entryOfCursor(cursor: string): { time: number; id: string } {
  const match = /^(\d+):(log_\w+)$/.exec(cursor);
  if (!match) throw badRequest("cursor: not a cursor this endpoint returned");
  return { time: Number(match[1]), id: match[2]! };
}

function renderLog(row: AuditRow) {
  return {
    id: row.id,
    time: row.time,
    event: row.event,
    actor: parseJson<{ type: string; id: string }>(row.actor, { type: "unknown", id: "" }),
    resources: parseJson<{ type: string; id: string }[]>(row.resources, []),
    description: row.description,
    context: parseJson<{ ipAddress: string | null; userAgent: string | null }>(row.context, { ipAddress: null, userAgent: null }),
  };
}
