import type { KeyPolicy } from "../store/policy";

/** How long a fence may stand if its release never arrives; far longer than any D1 write. */
export const MAX_FENCE_MS = 30_000;

/**
 * A key's policy, loaded from D1 once and kept in memory until management changes the key.
 * Management fences the key before its D1 write and releases it after (counters/client.ts
 * `writeFenced`): while any fence stands, every read loads afresh, and both the fence and the
 * release drop the kept policy, so the first read after the write loads what it wrote. A load
 * still in flight when a fence arrives is never kept, whatever it read.
 */
export class PolicyCache {
  private kept: Promise<KeyPolicy | null> | null = null;
  /** Management writes in flight: fence token → until when it stands. */
  private readonly fences = new Map<string, number>();
  private changes = 0;

  constructor(private readonly load: (keyId: string) => Promise<KeyPolicy | null>) {}

  fence(token: string): void {
    this.fences.set(token, Date.now() + MAX_FENCE_MS);
    this.kept = null;
    this.changes++;
  }

  release(token: string): void {
    this.fences.delete(token);
    this.kept = null;
    this.changes++;
  }

  /**
   * Counts fences and releases. A policy read between two equal values of it was loaded after
   * the last management write had landed, with none in flight: safe to lend (edge mode).
   */
  get epoch(): number {
    return this.changes;
  }

  get fenced(): boolean {
    this.dropLapsedFences(Date.now());
    return this.fences.size > 0;
  }

  current(keyId: string): Promise<KeyPolicy | null> {
    this.dropLapsedFences(Date.now());
    if (this.fences.size > 0) return this.load(keyId);
    if (!this.kept) {
      const load = this.load(keyId);
      this.kept = load;
      // A failed load is not kept: the next read tries D1 again.
      load.catch(() => {
        if (this.kept === load) this.kept = null;
      });
    }
    return this.kept;
  }

  private dropLapsedFences(now: number): void {
    for (const [token, until] of this.fences) {
      if (until > now) continue;
      this.fences.delete(token);
      this.changes++;
    }
  }
}
