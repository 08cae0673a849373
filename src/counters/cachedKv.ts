import { LruMap } from "../store/lru";

/** The part of a Durable Object's synchronous KV storage that the counters use. */
export interface CounterStorage {
  get<T>(key: string): T | undefined;
  put<T>(key: string, value: T): void;
}

/**
 * How many values stay in memory. A key uses a few (its credits, its own limit, the named limits
 * it is verified against); callers can name ad-hoc limits freely, so memory must not grow with them.
 */
export const CACHED_VALUES = 64;

/**
 * A Durable Object's synchronous KV storage with the values it last read or wrote kept in
 * memory. The object is the only writer of its own storage, so the two always agree, and a
 * verify's reads cost no SQLite query and no deserialization. Writes still go to storage on
 * every call (committed before the answer leaves). If the object is reset, memory goes with it
 * and reads start again from storage. Values are shared, not copied: callers must not mutate
 * them (the counters build new states instead).
 */
export class CachedKv implements CounterStorage {
  private readonly values = new LruMap<string, unknown>(CACHED_VALUES);

  constructor(private readonly storage: SyncKvStorage) {}

  get<T>(key: string): T | undefined {
    // What storage does not hold is remembered too (as undefined), so it is not asked again.
    if (this.values.has(key)) return this.values.get(key) as T | undefined;
    const value = this.storage.get<T>(key);
    this.values.set(key, value);
    return value;
  }

  put<T>(key: string, value: T): void {
    this.storage.put(key, value);
    this.values.set(key, value);
  }
}
