import { apiPermission, authorize, type Caller } from "../auth/caller";
import type { Env } from "../env";
import { badRequest } from "../errors";
import { apisOfOwner, type DayRange, dailyOutcomes, OUTCOME_FIELDS, type OutcomeField, type StatsRow, verificationStats } from "../store/verifications";
import { DAY_MS } from "../time";
import { requireApi } from "./apis";
import { requireKey } from "./keys/read";

/** Without `start`, a query covers the 30 days up to `end` (default: now). */
const DEFAULT_RANGE_MS = 30 * DAY_MS;

function dayRange(start: number | undefined, end: number | undefined): DayRange {
  const to = end ?? Date.now();
  const from = start ?? to - DEFAULT_RANGE_MS;
  if (from > to) throw badRequest("start: must not be after end");
  return { start: from, end: to };
}

export interface KeyVerificationsInput {
  keyId?: string;
  ownerId?: string;
  start?: number;
  end?: number;
}

/** Daily counts of one key, or of all keys of an owner (the caller must be able to read every one). */
export async function getKeyVerifications(env: Env, caller: Caller, input: KeyVerificationsInput) {
  if ((input.keyId === undefined) === (input.ownerId === undefined)) throw badRequest("keyId: give exactly one of keyId or ownerId");
  const range = dayRange(input.start, input.end);
  if (input.keyId !== undefined) {
    const key = await requireKey(env, caller, input.keyId);
    authorize(caller, ...apiPermission(key.api_id, "read_key"));
    return { verifications: await dailyOutcomes(env.DB, caller.workspaceId, { keyId: key.id }, range) };
  }
  const apiIds = await apisOfOwner(env.DB, caller.workspaceId, input.ownerId!);
  if (apiIds.length === 0) authorize(caller, "api.*.read_key");
  for (const apiId of apiIds) authorize(caller, ...apiPermission(apiId, "read_key"));
  return { verifications: await dailyOutcomes(env.DB, caller.workspaceId, { ownerId: input.ownerId! }, range) };
}

export type GroupBy = "key" | "identity" | "tags" | "tag" | "month" | "day" | "hour";
const SUPPORTED_GROUPS = ["day", "month", "key", "identity", "tags", "tag"];

export interface StatsInput {
  apiId: string;
  keyIds?: string[];
  externalId?: string;
  /** Only verifications that sent all of these tags. */
  tag?: string[];
  start?: number;
  end?: number;
  groupBy?: GroupBy[];
  limit?: number;
  orderBy?: "time" | "total" | OutcomeField;
  order?: "asc" | "desc";
}

export const MAX_STATS_ROWS = 10_000;

/** The outcome counts every stats row carries, by field name. */
export const STATS_OUTCOME_FIELDS = Object.keys(OUTCOME_FIELDS) as [OutcomeField, ...OutcomeField[]];

/** analytics.getVerifications: an api's verification outcomes, grouped by day or month, key, identity and tags. */
export async function getVerificationStats(env: Env, caller: Caller, input: StatsInput) {
  authorize(caller, ...apiPermission(input.apiId, "read_analytics"));
  const groupBy = new Set(input.groupBy ?? []);
  const unsupported = [...groupBy].filter((group) => !SUPPORTED_GROUPS.includes(group));
  if (unsupported.length > 0) {
    throw badRequest(`groupBy: ${unsupported.join(", ")} is not supported; Keygate keeps daily counts per key and can group by ${SUPPORTED_GROUPS.join(", ")}`);
  }
  if (groupBy.has("day") && groupBy.has("month")) throw badRequest("groupBy: choose one of day or month");
  if (groupBy.has("tag") && groupBy.has("tags")) throw badRequest("groupBy: choose one of tag or tags");
  const time = groupBy.has("day") ? "day" : groupBy.has("month") ? "month" : undefined;
  if (input.orderBy === "time" && !time) throw badRequest("orderBy: time needs groupBy day or month");
  const range = dayRange(input.start, input.end);
  await requireApi(env, caller, input.apiId);

  const rows = await verificationStats(env.DB, {
    workspaceId: caller.workspaceId,
    apiId: input.apiId,
    keyIds: input.keyIds,
    externalId: input.externalId,
    tags: input.tag,
    range,
    groupBy: { time, key: groupBy.has("key"), identity: groupBy.has("identity"), tags: groupBy.has("tags"), tag: groupBy.has("tag") },
    orderBy: input.orderBy,
    order: input.order ?? "asc",
    limit: input.limit ?? MAX_STATS_ROWS,
  });
  return rows.map(renderStats);
}

function renderStats({ time, key_id, identity_id, identity_external_id, tags, tag, ...counts }: StatsRow) {
  return {
    ...(time !== undefined ? { time } : {}),
    ...counts,
    ...(tags !== undefined ? { tags: JSON.parse(tags) as string[] } : {}),
    ...(tag !== undefined ? { tag } : {}),
    ...(key_id !== undefined ? { keyId: key_id } : {}),
    ...(identity_id ? { identity: { id: identity_id, externalId: identity_external_id! } } : {}),
  };
}
