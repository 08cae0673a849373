/**
 * A Map bounded to `maxEntries` that evicts the least recently used entry. Map keeps insertion
 * order, so re-inserting an entry on every read and write keeps the least recently used one first.
 */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly maxEntries: number) {}

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** A read counts as a use. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    // `has` only when needed: a stored value may itself be undefined.
    if (value !== undefined || this.entries.has(key)) this.set(key, value as V);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}

/** A bounded in-isolate cache: an LruMap whose entries also expire. */
export class LruCache<V> {
  private readonly entries: LruMap<string, { value: V; expiresAt: number }>;

  constructor(
    maxEntries: number,
    private readonly ttlMs: number,
  ) {
    this.entries = new LruMap(maxEntries);
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > Date.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V, ttlMs = this.ttlMs): void {
    this.entries.set(key, { value, expiresAt: Date.now() + ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
