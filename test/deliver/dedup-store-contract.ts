/**
 * The dedup store contract: every store (memory, NATS KV, Durable Object)
 * runs it through a harness. Time passes through the harness (a fake clock
 * for the memory store, real time for the others); a store that forgets on
 * the server's schedule gets `forgetGraceMs` to do so. LRU eviction runs only
 * where the harness says the store bounds its entries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DedupPair, DedupRecord, DedupStore } from "../../src/deliver/dedup/dedup-store.js";

export interface DedupHarness {
  readonly store: DedupStore;
  /** Lets `ms` of the store's time pass. */
  passTime(ms: number): Promise<void>;
  teardown(): Promise<void>;
}

export interface DedupContractOptions {
  /** The window the factory's stores are opened with. */
  readonly windowMs: number;
  /** How long after the window the store may still answer a record before it is gone. */
  readonly forgetGraceMs: number;
  /** The store's entry cap, when it evicts the least recently used past it. */
  readonly maxEntries?: number;
  /** Per-test timeout (real-time stores wait through the window). */
  readonly timeoutMs?: number;
}

/** A prefix unique to one run of the contract: stores that share their records never mix runs up. */
const newRunId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

const sorted = (record: DedupRecord | undefined) =>
  record === undefined ? undefined : { acked: [...record.acked].sort(), complete: record.complete };

async function eventually(probe: () => Promise<boolean>, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function dedupStoreContract(
  name: string,
  open: () => Promise<DedupHarness>,
  options: DedupContractOptions,
): void {
  const { windowMs, forgetGraceMs, maxEntries } = options;
  const timeout = options.timeoutMs ?? 20_000;
  const runId = newRunId();
  const pairOf = (test: string, n = 0): DedupPair => ({
    source: `https://contract.example/${runId}/${test}`,
    id: `event-${n}`,
  });

  describe(`${name}: the dedup store contract`, () => {
    let harness: DedupHarness;
    const lookup = async (...pairs: DedupPair[]) => (await harness.store.lookup(pairs)).map(sorted);
    const record = (pair: DedupPair, acked: string[], complete: boolean) =>
      harness.store.record([{ pair, record: { acked, complete } }]);

    beforeAll(async () => {
      harness = await open();
    }, 60_000);
    afterAll(async () => {
      await harness?.teardown();
    });

    it("answers undefined for a pair never recorded, and an empty lookup with nothing", async () => {
      expect(await lookup(pairOf("unknown"))).toEqual([undefined]);
      expect(await harness.store.lookup([])).toEqual([]);
    });

    it("answers a recorded pair with its record, in the order asked, and tells pairs apart", async () => {
      const [a, b, c] = [pairOf("order", 1), pairOf("order", 2), pairOf("order", 3)];
      await harness.store.record([
        { pair: a, record: { acked: ["orders"], complete: true } },
        { pair: b, record: { acked: ["audit", "orders"], complete: false } },
      ]);
      expect(await lookup(b, c, a)).toEqual([
        { acked: ["audit", "orders"], complete: false },
        undefined,
        { acked: ["orders"], complete: true },
      ]);
      // Same id, other source; same source, other id: other pairs.
      expect(
        await lookup({ source: `${a.source}/x`, id: a.id }, { source: a.source, id: "event-9" }),
      ).toEqual([undefined, undefined]);
    });

    it("keeps the union of the acked keys across records of a pair", async () => {
      const pair = pairOf("union");
      await record(pair, ["orders"], false);
      await record(pair, ["audit"], false);
      await record(pair, ["audit", "billing~eu"], false);
      expect(await lookup(pair)).toEqual([{ acked: ["audit", "billing~eu", "orders"], complete: false }]);
    });

    it("merges two records of one pair in the same write", async () => {
      const pair = pairOf("same-write");
      await harness.store.record([
        { pair, record: { acked: ["orders"], complete: false } },
        { pair, record: { acked: ["audit"], complete: true } },
      ]);
      expect(await lookup(pair)).toEqual([{ acked: ["audit", "orders"], complete: true }]);
    });

    it("keeps complete once set: a later incomplete record does not clear it", async () => {
      const pair = pairOf("sticky");
      await record(pair, ["orders"], false);
      expect(await lookup(pair)).toEqual([{ acked: ["orders"], complete: false }]);
      await record(pair, ["audit"], true);
      await record(pair, [], false);
      expect(await lookup(pair)).toEqual([{ acked: ["audit", "orders"], complete: true }]);
    });

    it(
      "forgets a record the window after it was last written, not after it was first",
      async () => {
        const pair = pairOf("window");
        const untouched = pairOf("window", 2);
        await harness.store.record([
          { pair, record: { acked: ["orders"], complete: false } },
          { pair: untouched, record: { acked: ["orders"], complete: true } },
        ]);
        await harness.passTime(windowMs / 2);
        expect(await lookup(pair, untouched)).toEqual([
          { acked: ["orders"], complete: false },
          { acked: ["orders"], complete: true },
        ]);
        await record(pair, ["audit"], true);
        await harness.passTime(windowMs / 2 + 1);
        // A whole window since `untouched` was written; half of one since `pair` was rewritten.
        expect(await lookup(pair)).toEqual([{ acked: ["audit", "orders"], complete: true }]);
        expect(await eventually(async () => (await lookup(untouched))[0] === undefined, forgetGraceMs)).toBe(
          true,
        );
        await harness.passTime(windowMs / 2);
        expect(await eventually(async () => (await lookup(pair))[0] === undefined, forgetGraceMs)).toBe(true);
        // Forgotten means gone: a new record starts afresh.
        await record(pair, ["billing"], false);
        expect(await lookup(pair)).toEqual([{ acked: ["billing"], complete: false }]);
      },
      timeout + 3 * windowMs + 2 * forgetGraceMs,
    );

    it.skipIf(maxEntries === undefined)(
      "forgets the least recently used pair past maxEntries, a lookup counting as a use",
      async () => {
        const cap = maxEntries ?? 0;
        const pairs = Array.from({ length: cap }, (_, n) => pairOf("lru", n));
        await harness.store.record(
          pairs.map((pair) => ({ pair, record: { acked: ["orders"], complete: true } })),
        );
        await harness.store.lookup([pairs[0] as DedupPair]); // the second is now the least recently used
        await record(pairOf("lru", cap), ["orders"], false);
        const answers = await harness.store.lookup([...pairs, pairOf("lru", cap)]);
        expect(answers.filter((answer) => answer === undefined)).toHaveLength(1);
        expect(sorted(answers[1])).toBeUndefined();
        expect(sorted(answers[0])).toEqual({ acked: ["orders"], complete: true });
        expect(sorted(answers[cap])).toEqual({ acked: ["orders"], complete: false });
      },
    );
  });
}
