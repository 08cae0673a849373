import { afterEach, describe, expect, it, vi } from "vitest";
import { LruCache, LruMap } from "../../src/store/lru";

describe("LruMap", () => {
  it("evicts the least recently written entry past its bound", () => {
    const lru = new LruMap<string, number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    lru.set("c", 3);
    expect([lru.has("a"), lru.get("b"), lru.get("c")]).toEqual([false, 2, 3]);
  });

  it("counts a read or a rewrite as a use", () => {
    const lru = new LruMap<string, number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    expect(lru.get("a")).toBe(1);
    lru.set("c", 3);
    expect([lru.get("a"), lru.has("b")]).toEqual([1, false]);
    lru.set("a", 4);
    lru.set("d", 5);
    expect([lru.get("a"), lru.has("c"), lru.get("d")]).toEqual([4, false, 5]);
  });

  it("keeps an undefined value as an entry, and its reads as uses", () => {
    const lru = new LruMap<string, number | undefined>(2);
    lru.set("missing", undefined);
    lru.set("b", 2);
    expect(lru.get("missing")).toBeUndefined();
    lru.set("c", 3);
    expect([lru.has("missing"), lru.has("b")]).toEqual([true, false]);
  });

  it("forgets a deleted entry", () => {
    const lru = new LruMap<string, number>(2);
    lru.set("a", 1);
    lru.delete("a");
    expect([lru.has("a"), lru.get("a")]).toEqual([false, undefined]);
  });
});

describe("LruCache", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("answers until its TTL, or the TTL given to set, has passed", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const cache = new LruCache<string>(10, 1_000);
    cache.set("default", "d");
    cache.set("short", "s", 100);
    vi.advanceTimersByTime(99);
    expect([cache.get("default"), cache.get("short")]).toEqual(["d", "s"]);
    vi.advanceTimersByTime(1);
    expect([cache.get("default"), cache.get("short")]).toEqual(["d", undefined]);
    vi.advanceTimersByTime(900);
    expect(cache.get("default")).toBeUndefined();
  });

  it("evicts the least recently used entry past its bound", () => {
    const cache = new LruCache<number>(2, Number.POSITIVE_INFINITY);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([1, undefined, 3]);
  });

  it("caches null (an unknown key) apart from a miss, and forgets a deleted entry", () => {
    const cache = new LruCache<null>(2, 1_000);
    cache.set("unknown", null);
    expect(cache.get("unknown")).toBeNull();
    cache.delete("unknown");
    expect(cache.get("unknown")).toBeUndefined();
  });
});
