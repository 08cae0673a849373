import { describe, expect, it } from "vitest";
import { FLUSH_INTERVAL_MS, MAX_PENDING_COUNTS, VerificationBuffer } from "../../src/counters/verificationBuffer";
import type { CountedKey, PendingCount } from "../../src/store/verifications";
import { DAY_MS } from "../../src/time";

const key = { id: "key_1", apiId: "api_1", workspaceId: "ws_1" };
const counted: CountedKey = { keyId: "key_1", apiId: "api_1", workspaceId: "ws_1" };
const day = 20_000 * DAY_MS;
const noon = day + DAY_MS / 2;

/** In a fixed order, since the buffer writes its counts in any. */
const sorted = (counts: PendingCount[]) => [...counts].sort((a, b) => `${a.day}${a.outcome}${a.tags}`.localeCompare(`${b.day}${b.outcome}${b.tags}`));

/** A buffer whose alarms and D1 writes are recorded. */
function recordingBuffer() {
  const alarms: number[] = [];
  const written: { key: CountedKey; counts: PendingCount[] }[] = [];
  let heldWrite: Promise<never> | undefined;
  const buffer = new VerificationBuffer(
    (at) => alarms.push(at),
    async (countedKey, counts) => {
      const held = heldWrite;
      heldWrite = undefined;
      if (held) return held;
      written.push({ key: countedKey, counts: sorted(counts) });
    },
  );
  /** The next write stays in flight until the returned function makes it fail. */
  const holdNextWrite = () => {
    let fail!: () => void;
    heldWrite = new Promise<never>((_resolve, reject) => {
      fail = () => reject(new Error("D1 unavailable"));
    });
    return fail;
  };
  return { buffer, alarms, written, holdNextWrite };
}

describe("VerificationBuffer", () => {
  it("counts by UTC day, outcome and distinct sorted tags, and flushes them in one write", async () => {
    const { buffer, alarms, written } = recordingBuffer();
    buffer.add(key, "VALID", ["b", "a", "a"], noon);
    buffer.add(key, "VALID", ["a", "b"], noon + 1);
    buffer.add(key, "VALID", [], noon + 2);
    buffer.add(key, "VALID", undefined, noon + 3);
    buffer.add(key, "RATE_LIMITED", undefined, noon + 4);
    buffer.add(key, "VALID", undefined, day + DAY_MS);
    expect(alarms).toEqual([noon + FLUSH_INTERVAL_MS]);

    await buffer.flush();
    expect(written).toEqual([
      {
        key: counted,
        counts: sorted([
          { day, outcome: "VALID", tags: '["a","b"]', count: 2, lastAt: noon + 1 },
          { day, outcome: "VALID", tags: "[]", count: 2, lastAt: noon + 3 },
          { day, outcome: "RATE_LIMITED", tags: "[]", count: 1, lastAt: noon + 4 },
          { day: day + DAY_MS, outcome: "VALID", tags: "[]", count: 1, lastAt: day + DAY_MS },
        ]),
      },
    ]);
  });

  it("writes nothing when nothing was counted since the last flush", async () => {
    const { buffer, written } = recordingBuffer();
    await buffer.flush();
    buffer.add(key, "VALID", undefined, noon);
    await buffer.flush();
    await buffer.flush();
    expect(written).toHaveLength(1);
  });

  it("sets a new alarm for the first count after a flush", async () => {
    const { buffer, alarms } = recordingBuffer();
    buffer.add(key, "VALID", undefined, noon);
    await buffer.flush();
    buffer.add(key, "VALID", undefined, noon + 5);
    buffer.add(key, "VALID", undefined, noon + 6);
    expect(alarms).toEqual([noon + FLUSH_INTERVAL_MS, noon + 5 + FLUSH_INTERVAL_MS]);
  });

  it("keeps the counts of a failed flush and sets no new alarm: the runtime retries the failed one", async () => {
    const { buffer, alarms, written, holdNextWrite } = recordingBuffer();
    const failWrite = holdNextWrite();
    buffer.add(key, "VALID", ["a"], noon);
    buffer.add(key, "EXPIRED", undefined, noon);
    const failing = buffer.flush();
    failWrite();
    await expect(failing).rejects.toThrow("D1 unavailable");

    buffer.add(key, "VALID", ["a"], noon + 1);
    buffer.add(key, "DISABLED", undefined, noon + 1);
    expect(alarms).toEqual([noon + FLUSH_INTERVAL_MS]);
    await buffer.flush();
    expect(written).toEqual([
      {
        key: counted,
        counts: sorted([
          { day, outcome: "VALID", tags: '["a"]', count: 2, lastAt: noon + 1 },
          { day, outcome: "EXPIRED", tags: "[]", count: 1, lastAt: noon },
          { day, outcome: "DISABLED", tags: "[]", count: 1, lastAt: noon + 1 },
        ]),
      },
    ]);
  });

  it("merges the counts of a failed flush with those counted while it ran", async () => {
    const { buffer, written, holdNextWrite } = recordingBuffer();
    const failWrite = holdNextWrite();
    buffer.add(key, "VALID", ["a"], noon);
    buffer.add(key, "VALID", ["a"], noon);
    buffer.add(key, "EXPIRED", undefined, noon);
    const failing = buffer.flush();
    buffer.add(key, "VALID", ["a"], noon + 1);
    buffer.add(key, "DISABLED", undefined, noon + 1);
    failWrite();
    await expect(failing).rejects.toThrow("D1 unavailable");
    expect(written).toEqual([]);

    await buffer.flush();
    await buffer.flush();
    expect(written).toEqual([
      {
        key: counted,
        counts: sorted([
          { day, outcome: "VALID", tags: '["a"]', count: 3, lastAt: noon + 1 },
          { day, outcome: "EXPIRED", tags: "[]", count: 1, lastAt: noon },
          { day, outcome: "DISABLED", tags: "[]", count: 1, lastAt: noon + 1 },
        ]),
      },
    ]);
  });

  it("asks for a flush at once, once, when MAX_PENDING_COUNTS distinct counts wait", () => {
    const { buffer, alarms } = recordingBuffer();
    for (let i = 0; i < MAX_PENDING_COUNTS - 1; i++) buffer.add(key, "VALID", [`tag-${i}`], noon);
    expect(alarms).toEqual([noon + FLUSH_INTERVAL_MS]);
    buffer.add(key, "VALID", ["one-too-many"], noon + 1);
    buffer.add(key, "VALID", ["and-another"], noon + 2);
    expect(alarms).toEqual([noon + FLUSH_INTERVAL_MS, noon + 1]);
  });
});
