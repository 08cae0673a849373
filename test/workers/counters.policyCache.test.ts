import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_FENCE_MS, PolicyCache } from "../../src/counters/policyCache";
import { loadKeyPolicy } from "../../src/store/policy";
import { apiWithKey } from "../helpers/harness";

/** A PolicyCache over the real loadKeyPolicy that counts its loads. */
function countingCache() {
  const counted = { loads: 0 };
  const cache = new PolicyCache((keyId) => {
    counted.loads++;
    return loadKeyPolicy(env.DB, keyId);
  });
  return { cache, counted };
}

const rename = (keyId: string, name: string) => env.DB.prepare("UPDATE keys SET name = ? WHERE id = ?").bind(name, keyId).run();

describe("PolicyCache", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("loads once and answers from memory until a fence", async () => {
    const { keyId } = await apiWithKey({ name: "kept" });
    const { cache, counted } = countingCache();
    expect((await cache.current(keyId))?.name).toBe("kept");
    await rename(keyId, "written behind its back");
    expect((await cache.current(keyId))?.name).toBe("kept");
    expect(counted.loads).toBe(1);
  });

  it("reads D1 afresh on every call while fenced, and keeps the first load after the release", async () => {
    const { keyId } = await apiWithKey({ name: "before" });
    const { cache, counted } = countingCache();
    await cache.current(keyId);
    cache.fence("write-1");
    await rename(keyId, "during");
    expect((await cache.current(keyId))?.name).toBe("during");
    expect((await cache.current(keyId))?.name).toBe("during");
    expect(counted.loads).toBe(3);
    await rename(keyId, "after");
    cache.release("write-1");
    expect((await cache.current(keyId))?.name).toBe("after");
    expect((await cache.current(keyId))?.name).toBe("after");
    expect(counted.loads).toBe(4);
  });

  it("stays fenced until every fence is released", async () => {
    const { keyId } = await apiWithKey();
    const { cache, counted } = countingCache();
    cache.fence("write-1");
    cache.fence("write-2");
    cache.release("write-1");
    await cache.current(keyId);
    await cache.current(keyId);
    expect(counted.loads).toBe(2);
    cache.release("write-2");
    await cache.current(keyId);
    await cache.current(keyId);
    expect(counted.loads).toBe(3);
  });

  it("discards what a load read when a fence arrives during it", async () => {
    const { keyId } = await apiWithKey({ name: "before" });
    let hasRead!: () => void;
    const readDone = new Promise<void>((resolve) => (hasRead = resolve));
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let loads = 0;
    const cache = new PolicyCache(async (id) => {
      const first = ++loads === 1;
      const policy = await loadKeyPolicy(env.DB, id);
      if (first) {
        hasRead();
        await gate;
      }
      return policy;
    });

    // The first load has read the old row and is still in flight while management writes.
    const inFlight = cache.current(keyId);
    await readDone;
    cache.fence("write-1");
    await rename(keyId, "after");
    cache.release("write-1");
    openGate();
    // Its callers asked before the write and get what it read; nobody after them does.
    expect((await inFlight)?.name).toBe("before");
    expect((await cache.current(keyId))?.name).toBe("after");
    expect((await cache.current(keyId))?.name).toBe("after");
    expect(loads).toBe(2);
  });

  it("keeps no failed load: the next call loads again", async () => {
    const { keyId } = await apiWithKey({ name: "kept" });
    let loads = 0;
    const cache = new PolicyCache(async (id) => {
      if (++loads === 1) throw new Error("D1 unavailable");
      return loadKeyPolicy(env.DB, id);
    });
    await expect(cache.current(keyId)).rejects.toThrow("D1 unavailable");
    expect((await cache.current(keyId))?.name).toBe("kept");
    await cache.current(keyId);
    expect(loads).toBe(2);
  });

  it("lets a fence whose release never arrives lapse after MAX_FENCE_MS", async () => {
    const { keyId } = await apiWithKey();
    const { cache, counted } = countingCache();
    vi.useFakeTimers({ toFake: ["Date"] });
    cache.fence("lost-release");
    vi.advanceTimersByTime(MAX_FENCE_MS - 1);
    await cache.current(keyId);
    await cache.current(keyId);
    expect(counted.loads).toBe(2);
    vi.advanceTimersByTime(1);
    await cache.current(keyId);
    await cache.current(keyId);
    expect(counted.loads).toBe(3);
  });
});
