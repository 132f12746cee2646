/**
 * The durability proof of the outbox log. Random runs of concurrent appends,
 * completes and reschedules go to a disk that crashes at a random call,
 * sometimes leaving a torn tail; the store is reopened (several times), then
 * drained. Whatever an append resolved for is there unless a complete was
 * asked for it (one cut short by the crash may or may not have landed), and
 * gone if that complete resolved; nothing is there that was never appended;
 * an append of several records is there whole or not at all; retry state is
 * at least as recent as the last reschedule that resolved; keyed records keep
 * their order. The same property run on a disk whose fsync syncs nothing must
 * fail, or the proof proves nothing.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OutboxLogBrokenError } from "../../src/entries/node/outbox/group-commit.js";
import { openLogOutboxStore } from "../../src/entries/node/outbox/log-outbox-store.js";
import { segmentName } from "../../src/entries/node/outbox/recover-log.js";
import { CrashingFs, type CrashingFsOptions } from "../support/crashing-fs.js";
import { drain, markerOf, recordOf } from "./outbox-fixtures.js";

type Op =
  | { readonly kind: "append"; readonly records: readonly { target: string; key: string | undefined }[] }
  | { readonly kind: "complete" | "reschedule"; readonly max: number }
  | { readonly kind: "turn" };

interface Round {
  readonly ops: readonly Op[];
  readonly crashAtCall: number;
  /** Percent of each file's unsynced tail that survives the crash; undefined: none. */
  readonly torn: number | undefined;
}

interface Known {
  readonly batch: number;
  readonly queue: string | undefined;
  appendResolved: boolean;
  completeCalled: boolean;
  completeResolved: boolean;
  resolvedAttempts: number;
}

const NOW = 1_000_000;
const OPTIONS = { maxRecords: 10_000, maxBytes: 10_000_000, segmentBytes: 200 };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(fc.record({ target: fc.constantFrom("a", "b"), key: fc.constantFrom(undefined, "k1", "k2") }), {
        minLength: 1,
        maxLength: 3,
      })
      .map((records) => ({ kind: "append" as const, records })),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("complete" as const), max: fc.integer({ min: 1, max: 6 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("reschedule" as const), max: fc.integer({ min: 1, max: 2 }) }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: "turn" as const }) },
);

const roundArb: fc.Arbitrary<Round> = fc.record({
  ops: fc.array(opArb, { minLength: 1, maxLength: 40 }),
  crashAtCall: fc.integer({ min: 1, max: 12 }),
  torn: fc.option(fc.integer({ min: 1, max: 99 }), { nil: undefined }),
});

/** What a property run saw, so the suite can show it exercised crashes. */
interface Tally {
  crashesMidRound: number;
  /** Rounds after which the first segment was gone: compaction ran, crashes and all. */
  compacted: number;
  /** Reopens that had to cut a torn tail away. */
  tornTailsCut: number;
  durableChecked: number;
}

async function runRound(fs: CrashingFs, round: Round, known: Map<string, Known>, tally: Tally) {
  const store = await openLogOutboxStore({ fs, ...OPTIONS });
  tally.tornTailsCut += fs.truncates;
  const tornTail =
    round.torn === undefined ? undefined : (_: string, n: number) => Math.floor((n * round.torn!) / 100);
  fs.crashAt(round.crashAtCall, tornTail);
  const running: Promise<unknown>[] = [];
  const unexpected: unknown[] = [];
  // Work in flight when the disk crashes fails with the broken log, and only with that.
  const track = (work: Promise<unknown>) =>
    running.push(
      work.catch((error: unknown) => error instanceof OutboxLogBrokenError || unexpected.push(error)),
    );
  for (const op of round.ops) {
    if (op.kind === "turn") {
      await nextTurn();
    } else if (op.kind === "append") {
      const batch = known.size;
      const markers = op.records.map((r, i) => ({ marker: `m${batch + i}`, r }));
      const records = markers.map(({ marker, r }) => {
        const queue = r.key === undefined ? undefined : `${r.target}/${r.key}`;
        known.set(marker, {
          batch,
          queue,
          appendResolved: false,
          completeCalled: false,
          completeResolved: false,
          resolvedAttempts: 0,
        });
        return recordOf(marker, { target: r.target, ...(r.key !== undefined && { orderingKey: r.key }) });
      });
      track(
        store.append(records).then(() => {
          for (const { marker } of markers) known.get(marker)!.appendResolved = true;
        }),
      );
    } else if (op.kind === "complete") {
      track(
        (async () => {
          const claimed = await store.claim(op.max, NOW);
          for (const record of claimed) known.get(markerOf(record))!.completeCalled = true;
          await store.complete(claimed.map((record) => record.id));
          for (const record of claimed) known.get(markerOf(record))!.completeResolved = true;
        })(),
      );
    } else {
      track(
        (async () => {
          const claimed = await store.claim(op.max, NOW);
          await Promise.all(
            claimed.map(async (record) => {
              const attempts = record.attempts + 1;
              await store.reschedule(record.id, {
                attempts,
                notBefore: NOW,
                firstAttemptAt: record.firstAttemptAt ?? NOW,
                lastAttemptAt: NOW,
                lastError: `attempt ${attempts}`,
              });
              const entry = known.get(markerOf(record))!;
              entry.resolvedAttempts = Math.max(entry.resolvedAttempts, attempts);
            }),
          );
        })(),
      );
    }
  }
  await Promise.all(running);
  expect(unexpected).toEqual([]);
  if (fs.crashed) tally.crashesMidRound++;
  const survivor = fs.crashed ? fs.survivor! : fs.crash(tornTail);
  if (!survivor.fileNames().includes(segmentName(1))) tally.compacted++;
  return survivor;
}

function checkRecovered(
  drained: readonly { marker: string; attempts: number }[],
  known: Map<string, Known>,
  tally: Tally,
) {
  const present = new Map(drained.map((r) => [r.marker, r]));
  expect(present.size, "no record comes back twice").toBe(drained.length);
  for (const [marker, entry] of known) {
    // A complete cut short by the crash may or may not have reached the disk: either is right.
    if (entry.appendResolved && !entry.completeCalled) {
      tally.durableChecked++;
      expect(present.has(marker), `${marker}: its append resolved`).toBe(true);
    }
    if (entry.completeResolved) expect(present.has(marker), `${marker}: its complete resolved`).toBe(false);
    if (present.has(marker))
      expect(present.get(marker)!.attempts, `${marker}: retry state`).toBeGreaterThanOrEqual(
        entry.resolvedAttempts,
      );
  }
  for (const marker of present.keys()) expect(known.has(marker), `${marker} was never appended`).toBe(true);
  // One append is one frame: its records are all there, or the missing ones were being completed.
  for (const [marker, entry] of known) {
    const sameBatch = [...known].filter(([, other]) => other.batch === entry.batch);
    if (present.has(marker)) {
      for (const [other, otherEntry] of sameBatch) {
        expect(present.has(other) || otherEntry.completeCalled, `${other} came back with ${marker}`).toBe(
          true,
        );
      }
    }
  }
  // Drained head by head, keyed records come out in the order they were appended.
  const lastOfQueue = new Map<string, number>();
  for (const { marker } of drained) {
    const queue = known.get(marker)!.queue;
    if (queue === undefined) continue;
    const n = Number(marker.slice(1));
    expect(n, `${marker} in order within ${queue}`).toBeGreaterThan(lastOfQueue.get(queue) ?? -1);
    lastOfQueue.set(queue, n);
  }
}

function durabilityProperty(disk: CrashingFsOptions, tally: Tally) {
  return fc.asyncProperty(fc.array(roundArb, { minLength: 1, maxLength: 3 }), async (rounds) => {
    const known = new Map<string, Known>();
    let fs = new CrashingFs(disk);
    for (const round of rounds) fs = await runRound(fs, round, known, tally);
    const store = await openLogOutboxStore({ fs, ...OPTIONS });
    tally.tornTailsCut += fs.truncates;
    const drained = (await drain(store)).map((r) => ({ marker: markerOf(r), attempts: r.attempts }));
    await store.close();
    checkRecovered(drained, known, tally);
  });
}

describe("outbox log durability", () => {
  it("keeps every record whose append resolved, across crashes at random points", async () => {
    const tally: Tally = { crashesMidRound: 0, compacted: 0, tornTailsCut: 0, durableChecked: 0 };
    // OUTBOX_PROOF_RUNS=20000 for a longer search than CI can afford.
    await fc.assert(durabilityProperty({}, tally), { numRuns: Number(process.env.OUTBOX_PROOF_RUNS ?? 300) });
    // The proof only counts if it saw crashes with work in flight and records it had to keep.
    expect(tally.crashesMidRound).toBeGreaterThan(50);
    expect(tally.compacted).toBeGreaterThan(20);
    expect(tally.tornTailsCut).toBeGreaterThan(20);
    expect(tally.durableChecked).toBeGreaterThan(500);
  });

  it("fails on a disk whose fsync syncs nothing, so the proof above can fail", async () => {
    const tally: Tally = { crashesMidRound: 0, compacted: 0, tornTailsCut: 0, durableChecked: 0 };
    const result = await fc.check(durabilityProperty({ fsyncSyncsNothing: true }, tally), {
      numRuns: 50,
      seed: 1,
    });
    expect(result.failed).toBe(true);
  });

  it("loses a resolved append on a disk whose fsync syncs nothing", async () => {
    const fs = new CrashingFs({ fsyncSyncsNothing: true });
    const store = await openLogOutboxStore({ fs, ...OPTIONS });
    await store.append([recordOf("kept?")]);
    const reopened = await openLogOutboxStore({ fs: fs.crash(), ...OPTIONS });
    expect(await drain(reopened)).toEqual([]);
  });
});
