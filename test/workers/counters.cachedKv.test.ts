import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CACHED_VALUES, CachedKv } from "../../src/counters/cachedKv";

// Any Durable Object's storage will do; this one is never used as a key's.
const scratch = () => env.LIMITER.get(env.LIMITER.idFromName(`cachedKv-test-${crypto.randomUUID()}`));

describe("CachedKv", () => {
  it("writes every value through to storage", async () => {
    await runInDurableObject(scratch(), (_instance, state) => {
      const kv = new CachedKv(state.storage.kv);
      kv.put("credits", { remaining: 7 });
      expect(state.storage.kv.get("credits")).toEqual({ remaining: 7 });
      expect(kv.get("credits")).toEqual({ remaining: 7 });
    });
  });

  it("answers from memory what it last read or wrote", async () => {
    await runInDurableObject(scratch(), (_instance, state) => {
      state.storage.kv.put("window:a", { n: 1 });
      const kv = new CachedKv(state.storage.kv);
      expect(kv.get("window:a")).toEqual({ n: 1 });
      expect(kv.get("window:missing")).toBeUndefined();
      // Written behind its back (nothing in Keygate does this): memory still answers.
      state.storage.kv.put("window:a", { n: 2 });
      state.storage.kv.put("window:missing", { n: 3 });
      expect(kv.get("window:a")).toEqual({ n: 1 });
      expect(kv.get("window:missing")).toBeUndefined();
    });
  });

  it("keeps at most CACHED_VALUES in memory and reads the rest from storage again", async () => {
    await runInDurableObject(scratch(), (_instance, state) => {
      const kv = new CachedKv(state.storage.kv);
      for (let i = 0; i <= CACHED_VALUES; i++) kv.put(`window:${i}`, { n: i });
      // window:0 was the least recently used: it left memory, so storage answers for it.
      state.storage.kv.put("window:0", { n: -1 });
      state.storage.kv.put(`window:${CACHED_VALUES}`, { n: -1 });
      expect(kv.get("window:0")).toEqual({ n: -1 });
      expect(kv.get(`window:${CACHED_VALUES}`)).toEqual({ n: CACHED_VALUES });
    });
  });
});
