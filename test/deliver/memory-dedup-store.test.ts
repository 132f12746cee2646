/**
 * The memory dedup store: the contract on a fake clock, and what only it
 * promises (its bound holds, expired records do not linger past writes).
 */
import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/context/request-context.js";
import { memoryDedupStore } from "../../src/deliver/dedup/memory-dedup-store.js";
import { dedupStoreContract } from "./dedup-store-contract.js";

const WINDOW_MS = 60_000;
const MAX_ENTRIES = 50;

function fakeClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
  };
}

dedupStoreContract(
  "memory",
  async () => {
    const clock = fakeClock();
    const store = memoryDedupStore({ windowMs: WINDOW_MS, maxEntries: MAX_ENTRIES, clock });
    return {
      store,
      passTime: async (ms) => clock.advance(ms),
      teardown: () => store.close(),
    };
  },
  { windowMs: WINDOW_MS, forgetGraceMs: 0, maxEntries: MAX_ENTRIES },
);

describe("memory dedup store", () => {
  const pair = (n: number) => ({ source: "https://example.com/s", id: `e-${n}` });
  const record = { acked: ["orders"], complete: true };

  it("never holds more than maxEntries records, however many pairs are written", async () => {
    const store = memoryDedupStore({ windowMs: WINDOW_MS, maxEntries: 10, clock: fakeClock() });
    for (let n = 0; n < 100; n++) await store.record([{ pair: pair(n), record }]);
    expect(store.size).toBe(10);
    const answers = await store.lookup(Array.from({ length: 100 }, (_, n) => pair(n)));
    expect(answers.slice(0, 90).every((a) => a === undefined)).toBe(true);
    expect(answers.slice(90).every((a) => a?.complete === true)).toBe(true);
  });

  it("drops expired records at the least recently used end when it writes", async () => {
    const clock = fakeClock();
    const store = memoryDedupStore({ windowMs: WINDOW_MS, maxEntries: 1_000, clock });
    await store.record(Array.from({ length: 20 }, (_, n) => ({ pair: pair(n), record })));
    clock.advance(WINDOW_MS);
    await store.record([{ pair: pair(100), record }]);
    expect(store.size).toBe(1);
  });

  it("keeps its own copy: changing what was written or read does not change what it holds", async () => {
    const store = memoryDedupStore({ windowMs: WINDOW_MS, maxEntries: 10, clock: fakeClock() });
    const acked = ["orders"];
    await store.record([{ pair: pair(1), record: { acked, complete: false } }]);
    acked.push("audit");
    expect(await store.lookup([pair(1)])).toEqual([{ acked: ["orders"], complete: false }]);
  });

  it("forgets everything once closed, and closes twice", async () => {
    const store = memoryDedupStore({ windowMs: WINDOW_MS, maxEntries: 10, clock: fakeClock() });
    await store.record([{ pair: pair(1), record }]);
    await store.close();
    await store.close();
    expect(store.size).toBe(0);
  });
});
