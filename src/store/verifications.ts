import { DAY_MS } from "../time";
import { all } from "./db";

/** Response field → the verify code counted under it. */
export const OUTCOME_FIELDS = {
  valid: "VALID",
  notFound: "NOT_FOUND",
  forbidden: "FORBIDDEN",
  usageExceeded: "USAGE_EXCEEDED",
  rateLimited: "RATE_LIMITED",
  unauthorized: "UNAUTHORIZED",
  disabled: "DISABLED",
  insufficientPermissions: "INSUFFICIENT_PERMISSIONS",
  expired: "EXPIRED",
} as const;

export type OutcomeField = keyof typeof OUTCOME_FIELDS;

/** Verifications of one key waiting in its Durable Object to be added to D1. */
export interface PendingCount {
  day: number;
  outcome: string;
  /** The tags the verifies sent: JSON array of distinct tags, sorted ("[]" for none). */
  tags: string;
  count: number;
  /** When the latest of these verifies happened (unix ms): the key's last use. */
  lastAt: number;
}

export interface CountedKey {
  keyId: string;
  apiId: string;
  workspaceId: string;
}

/** Rows a statement into verification_tags, so that a statement's JSON stays small. */
const TAGGED_ROWS_A_STATEMENT = 20;

/** Adds a key's pending counts to D1 in one batch: per day and outcome, the same by tags, and the key's last use. */
export function addVerificationCounts(db: D1Database, key: CountedKey, pending: PendingCount[]): Promise<D1Result[]> {
  return db.batch(countStatements(db, key, pending));
}

function countStatements(db: D1Database, key: CountedKey, pending: PendingCount[]): D1PreparedStatement[] {
  const totals = new Map<string, { day: number; outcome: string; count: number }>();
  for (const { day, outcome, count } of pending) {
    const bucket = `${day}:${outcome}`;
    const total = totals.get(bucket) ?? { day, outcome, count: 0 };
    totals.set(bucket, { ...total, count: total.count + count });
  }
  const perOutcome = [...totals.values()].map(({ day, outcome, count }) =>
    db
      .prepare(
        `INSERT INTO verifications (workspace_id, api_id, key_id, day, outcome, count) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (key_id, day, outcome) DO UPDATE SET count = count + excluded.count`,
      )
      .bind(key.workspaceId, key.apiId, key.keyId, day, outcome, count),
  );
  const byTags: D1PreparedStatement[] = [];
  for (let i = 0; i < pending.length; i += TAGGED_ROWS_A_STATEMENT) {
    const rows = pending.slice(i, i + TAGGED_ROWS_A_STATEMENT).map(({ day, outcome, tags, count }) => [day, outcome, tags, count]);
    byTags.push(
      db
        .prepare(
          // "WHERE true" lets SQLite read ON CONFLICT as the upsert clause after a SELECT.
          `INSERT INTO verification_tags (workspace_id, api_id, key_id, day, outcome, tags, count)
         SELECT ?, ?, ?, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]')
           FROM json_each(?) WHERE true
         ON CONFLICT (key_id, day, outcome, tags) DO UPDATE SET count = count + excluded.count`,
        )
        .bind(key.workspaceId, key.apiId, key.keyId, JSON.stringify(rows)),
    );
  }
  const lastUsedAt = Math.max(...pending.map((count) => count.lastAt));
  const lastUse = db.prepare("UPDATE keys SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?").bind(lastUsedAt, key.keyId);
  return [...perOutcome, ...byTags, lastUse];
}

/** Counts are kept per UTC day: a range covers each day it touches. */
export interface DayRange {
  start: number;
  end: number;
}

const sumOf = (code: string) => `COALESCE(SUM(CASE WHEN v.outcome = '${code}' THEN v.count END), 0)`;

/** Keys selected by id, or by owner (their ownerId or their identity's externalId). */
export type KeySelection = { keyId: string } | { ownerId: string };

function keyFilter(workspaceId: string, keys: KeySelection): { sql: string; params: unknown[] } {
  if ("keyId" in keys) return { sql: "v.key_id = ?", params: [keys.keyId] };
  return {
    sql: `v.key_id IN (SELECT id FROM keys WHERE workspace_id = ? AND deleted_at IS NULL
            AND (owner_id = ? OR identity_id IN (SELECT id FROM identities WHERE workspace_id = ? AND external_id = ? AND deleted_at IS NULL)))`,
    params: [workspaceId, keys.ownerId, workspaceId, keys.ownerId],
  };
}

/** The apis of an owner's live keys (to check the caller may read each). */
export async function apisOfOwner(db: D1Database, workspaceId: string, ownerId: string): Promise<string[]> {
  const rows = await all<{ api_id: string }>(
    db,
    `SELECT DISTINCT api_id FROM keys WHERE workspace_id = ? AND deleted_at IS NULL
       AND (owner_id = ? OR identity_id IN (SELECT id FROM identities WHERE workspace_id = ? AND external_id = ? AND deleted_at IS NULL))`,
    workspaceId,
    ownerId,
    workspaceId,
    ownerId,
  );
  return rows.map((row) => row.api_id);
}

/** Per UTC day, the verifications of the selected keys that were valid, rate limited, out of credits. */
export function dailyOutcomes(db: D1Database, workspaceId: string, keys: KeySelection, range: DayRange) {
  const filter = keyFilter(workspaceId, keys);
  return all<{ time: number; success: number; rateLimited: number; usageExceeded: number }>(
    db,
    `SELECT v.day AS time, ${sumOf("VALID")} AS success, ${sumOf("RATE_LIMITED")} AS "rateLimited", ${sumOf("USAGE_EXCEEDED")} AS "usageExceeded"
       FROM verifications v
      WHERE v.workspace_id = ? AND ${filter.sql} AND v.day >= ? AND v.day <= ?
      GROUP BY v.day ORDER BY v.day`,
    workspaceId,
    ...filter.params,
    Math.floor(range.start / DAY_MS) * DAY_MS,
    range.end,
  );
}

export interface StatsQuery {
  workspaceId: string;
  apiId: string;
  keyIds?: string[];
  externalId?: string;
  /** Only verifications that sent every one of these tags. */
  tags?: string[];
  range: DayRange;
  /** `tags`: by the whole set of tags a verify sent; `tag`: by each tag. */
  groupBy: { time?: "day" | "month"; key: boolean; identity: boolean; tags: boolean; tag: boolean };
  orderBy: "time" | "total" | OutcomeField | undefined;
  order: "asc" | "desc";
  limit: number;
}

export type StatsRow = Record<OutcomeField | "total", number> & {
  time?: number;
  key_id?: string;
  identity_id?: string | null;
  identity_external_id?: string | null;
  /** JSON array. */
  tags?: string;
  tag?: string;
};

const timeColumn = {
  day: "v.day",
  month: "CAST(strftime('%s', v.day / 1000, 'unixepoch', 'start of month') AS INTEGER) * 1000",
};

/** Outcome counts of an api, filtered and grouped as asked. Every SQL fragment here is fixed text; values are bound. */
export function verificationStats(db: D1Database, query: StatsQuery): Promise<StatsRow[]> {
  const columns: string[] = [];
  const groups: string[] = [];
  if (query.groupBy.time) {
    columns.push(`${timeColumn[query.groupBy.time]} AS time`);
    groups.push("time");
  }
  if (query.groupBy.key) {
    columns.push("v.key_id AS key_id");
    groups.push("v.key_id");
  }
  if (query.groupBy.identity) {
    columns.push("i.id AS identity_id", "i.external_id AS identity_external_id");
    groups.push("i.id");
  }
  if (query.groupBy.tags) {
    columns.push("v.tags AS tags");
    groups.push("v.tags");
  }
  if (query.groupBy.tag) {
    columns.push("t.value AS tag");
    groups.push("t.value");
  }
  for (const [field, code] of Object.entries(OUTCOME_FIELDS)) columns.push(`${sumOf(code)} AS "${field}"`);
  columns.push("COALESCE(SUM(v.count), 0) AS total");

  const filters = ["v.workspace_id = ?", "v.api_id = ?", "v.day >= ?", "v.day <= ?"];
  const params: unknown[] = [query.workspaceId, query.apiId, Math.floor(query.range.start / DAY_MS) * DAY_MS, query.range.end];
  if (query.keyIds?.length) {
    filters.push(`v.key_id IN (${query.keyIds.map(() => "?").join(", ")})`);
    params.push(...query.keyIds);
  }
  if (query.externalId !== undefined) {
    filters.push("i.external_id = ?");
    params.push(query.externalId);
  }
  for (const tag of query.tags ?? []) {
    filters.push("EXISTS (SELECT 1 FROM json_each(v.tags) f WHERE f.value = ?)");
    params.push(tag);
  }
  // Counts by tag live in their own table, which holds every verification since it was added.
  const byTags = query.groupBy.tags || query.groupBy.tag || (query.tags?.length ?? 0) > 0;
  const order = query.order === "desc" ? "DESC" : "ASC";
  const orderBy = [...(query.orderBy ? [`"${query.orderBy}" ${order}`] : []), ...groups.map((g) => `${g} ${order}`)];

  return all<StatsRow>(
    db,
    `SELECT ${columns.join(", ")}
       FROM ${byTags ? "verification_tags" : "verifications"} v
       ${query.groupBy.tag ? "JOIN json_each(v.tags) t" : ""}
       LEFT JOIN keys k ON k.id = v.key_id
       LEFT JOIN identities i ON i.id = k.identity_id AND i.deleted_at IS NULL
      WHERE ${filters.join(" AND ")}
      ${groups.length ? `GROUP BY ${groups.join(", ")}` : ""}
      ${orderBy.length ? `ORDER BY ${orderBy.join(", ")}` : ""}
      LIMIT ?`,
    ...params,
    query.limit,
  );
}
