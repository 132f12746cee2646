/**
 * Group commit: everything asked for in one turn, or while an fsync is under
 * way, shares one write and one fsync, and each caller hears back only after
 * that fsync.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { openLogOutboxStore } from "../../src/entries/node/outbox/log-outbox-store.js";
import { CrashingFs } from "../support/crashing-fs.js";
import { drain, markerOf, recordOf } from "./outbox-fixtures.js";

const OPTIONS = { maxRecords: 10_000, maxBytes: 10_000_000 };

describe("outbox log group commit", () => {
  it("writes 50 appends asked for in one turn with one write and one fsync", async () => {
    const fs = new CrashingFs();
    const store = await openLogOutboxStore({ fs, ...OPTIONS });
    const before = { fsyncs: fs.fsyncs, appends: fs.appends };
    await Promise.all(Array.from({ length: 50 }, (_, n) => store.append([recordOf(`e${n}`)])));
    expect(fs.fsyncs - before.fsyncs).toBe(1);
    expect(fs.appends - before.appends).toBe(1);
    const reopened = await openLogOutboxStore({ fs: fs.crash(), ...OPTIONS });
    expect((await drain(reopened)).map(markerOf).sort()).toEqual(
      Array.from({ length: 50 }, (_, n) => `e${n}`).sort(),
    );
  });

  it("lets callers who arrive during an fsync share the next one", async () => {
    const fs = new CrashingFs();
    const store = await openLogOutboxStore({ fs, ...OPTIONS });
    const before = fs.fsyncs;
    const first = store.append([recordOf("first")]);
    while (fs.fsyncs === before) await nextTurn();
    // The first fsync is under way: these twenty arrive while it is, and wait for the next one.
    const later: Promise<void>[] = [];
    for (let n = 0; n < 20; n++) {
      later.push(store.append([recordOf(`later${n}`)]));
      if (n % 5 === 0) await Promise.resolve();
    }
    await Promise.all([first, ...later]);
    expect(fs.fsyncs - before).toBe(2);
  });

  it("resolves an append only once its fsync did", async () => {
    const fs = new CrashingFs();
    const store = await openLogOutboxStore({ fs, ...OPTIONS });
    let resolved = false;
    const appended = store.append([recordOf("e")]).then(() => {
      resolved = true;
    });
    const before = fs.fsyncs;
    while (fs.fsyncs === before) await nextTurn();
    // The fsync has started, not finished: a crash now may lose the record, so the caller must not know it yet.
    expect(resolved).toBe(false);
    await appended;
    expect(resolved).toBe(true);
  });

  it("puts completes, reschedules and appends of one turn in the same write", async () => {
    const fs = new CrashingFs();
    const store = await openLogOutboxStore({ fs, ...OPTIONS });
    await store.append([recordOf("a"), recordOf("b")]);
    const [a, b] = await store.claim(2, 0);
    const before = fs.fsyncs;
    await Promise.all([
      store.complete([a!.id]),
      store.reschedule(b!.id, {
        attempts: 1,
        notBefore: 5,
        firstAttemptAt: 1,
        lastAttemptAt: 1,
        lastError: "503",
      }),
      store.append([recordOf("c")]),
    ]);
    expect(fs.fsyncs - before).toBe(1);
    const reopened = await openLogOutboxStore({ fs: fs.crash(), ...OPTIONS });
    const left = await drain(reopened);
    expect(left.map((r) => [markerOf(r), r.attempts])).toEqual([
      ["b", 1],
      ["c", 0],
    ]);
  });
});
