import type { KeyPolicy } from "../store/policy";
import type { CountedKey, PendingCount } from "../store/verifications";
import { DAY_MS } from "../time";
import type { VerifyCode } from "../verify/decide";

/** How long counts wait in memory before they are flushed. */
export const FLUSH_INTERVAL_MS = 10_000;
/** Distinct (day, outcome, tags) counts held before a flush is due at once. */
export const MAX_PENDING_COUNTS = 1_000;

/** Day and outcome hold no ":", and the tags come last, so the key is unique. */
const pendingBucket = (day: number, outcome: string, tags: string) => `${day}:${outcome}:${tags}`;

/**
 * One key's verification counts, by UTC day, outcome and the tags the verify sent, held in
 * memory and flushed to D1 by the Durable Object's alarm, so a verify never waits on analytics
 * and a verify with no counters writes nothing to storage (a storage write is a disk commit).
 * An eviction before the flush loses at most one flush interval of counts; allow/deny answers
 * never depend on them.
 */
export class VerificationBuffer {
  private readonly pending = new Map<string, PendingCount>();
  private countedKey?: CountedKey;
  private flushScheduled = false;
  /** The scheduled flush is due now, not in FLUSH_INTERVAL_MS. */
  private flushSoon = false;

  constructor(
    /** Sets the alarm that calls flush() at this time. */
    private readonly scheduleFlush: (at: number) => void,
    /** Adds the counts to D1 in one batch; rejects when nothing was added. */
    private readonly write: (key: CountedKey, counts: PendingCount[]) => Promise<unknown>,
  ) {}

  add(policy: Pick<KeyPolicy, "id" | "apiId" | "workspaceId">, outcome: VerifyCode, tags: string[] | undefined, now: number, count = 1): void {
    const day = Math.floor(now / DAY_MS) * DAY_MS;
    const tagSet = tags?.length ? JSON.stringify([...new Set(tags)].sort()) : "[]";
    const bucket = pendingBucket(day, outcome, tagSet);
    const waiting = this.pending.get(bucket);
    if (waiting) {
      waiting.count += count;
      waiting.lastAt = Math.max(waiting.lastAt, now);
    } else this.pending.set(bucket, { day, outcome, tags: tagSet, count, lastAt: now });
    this.countedKey ??= { keyId: policy.id, apiId: policy.apiId, workspaceId: policy.workspaceId };
    // Callers choose their tags freely: once many distinct counts wait, they are flushed at once.
    const overflowing = this.pending.size >= MAX_PENDING_COUNTS;
    if (!this.flushScheduled || (overflowing && !this.flushSoon)) {
      this.flushScheduled = true;
      this.flushSoon = overflowing;
      this.scheduleFlush(overflowing ? now : now + FLUSH_INTERVAL_MS);
    }
  }

  /**
   * Moves the counts to D1. On failure they are kept, merged with any counted meanwhile, and the
   * error is rethrown so that the runtime retries the alarm; until then no new alarm is set.
   */
  async flush(): Promise<void> {
    this.flushScheduled = false;
    this.flushSoon = false;
    const key = this.countedKey;
    const flushing = [...this.pending.values()];
    if (!key || flushing.length === 0) return;
    this.pending.clear();
    try {
      await this.write(key, flushing);
    } catch (err) {
      for (const count of flushing) {
        const bucket = pendingBucket(count.day, count.outcome, count.tags);
        const waiting = this.pending.get(bucket);
        this.pending.set(bucket, { ...count, count: count.count + (waiting?.count ?? 0), lastAt: Math.max(count.lastAt, waiting?.lastAt ?? 0) });
      }
      this.flushScheduled = true;
      throw err;
    }
  }
}
