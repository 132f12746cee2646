/**
 * Opening the log again: a torn tail is cut away and writing goes on after
 * it; damage before the last segment refuses to open, naming the file and
 * offset; segments rotate at their size and go once nothing in them matters,
 * in an order a crash between two deletions cannot turn into lost or revived
 * records; ids keep increasing after every old segment is gone.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { openLogOutboxStore } from "../../src/entries/node/outbox/log-outbox-store.js";
import { OutboxLogCorruptError, segmentName } from "../../src/entries/node/outbox/recover-log.js";
import { CrashingFs } from "../support/crashing-fs.js";
import { drain, markerOf, recordOf } from "./outbox-fixtures.js";

const OPTIONS = { maxRecords: 10_000, maxBytes: 10_000_000 };
/** Every write starts a new segment: the smallest setting, for seeing segments come and go. */
const ONE_WRITE_PER_SEGMENT = { ...OPTIONS, segmentBytes: 1 };

/** Dead segments are deleted after the write that killed them, once its callers have heard back. */
async function deletionsDone(): Promise<void> {
  for (let turn = 0; turn < 3; turn++) await nextTurn();
}

describe("outbox log recovery", () => {
  it("cuts a torn tail away and goes on writing after it", async () => {
    const fs = new CrashingFs();
    const store = await openLogOutboxStore({ fs, ...OPTIONS });
    await store.append([recordOf("kept")]);
    const synced = fs.contents(segmentName(1)).length;
    // Crash as the next fsync starts, keeping half of what was written for it.
    fs.crashAt(2, (_, unsynced) => Math.floor(unsynced / 2));
    await expect(store.append([recordOf("torn-1"), recordOf("torn-2")])).rejects.toThrow(
      /could not be written/,
    );
    const disk = fs.survivor!;
    expect(disk.contents(segmentName(1)).length).toBeGreaterThan(synced);

    const reopened = await openLogOutboxStore({ fs: disk, ...OPTIONS });
    expect(disk.contents(segmentName(1)).length).toBe(synced);
    await reopened.append([recordOf("after")]);
    await reopened.close();
    const again = await openLogOutboxStore({ fs: disk.crash(), ...OPTIONS });
    expect((await drain(again)).map(markerOf)).toEqual(["kept", "after"]);
  });

  it("treats a last frame failing its CRC as torn", async () => {
    const fs = new CrashingFs();
    const store = await openLogOutboxStore({ fs, ...OPTIONS });
    await store.append([recordOf("first")]);
    await store.append([recordOf("second")]);
    const name = segmentName(1);
    fs.damage(name, fs.contents(name).length - 1, new Uint8Array([0xff]));
    const reopened = await openLogOutboxStore({ fs: fs.crash(), ...OPTIONS });
    expect((await drain(reopened)).map(markerOf)).toEqual(["first"]);
  });

  it("refuses to open on damage before the last segment, naming the file and offset", async () => {
    const fs = new CrashingFs();
    const store = await openLogOutboxStore({ fs, ...ONE_WRITE_PER_SEGMENT });
    await store.append([recordOf("a")]);
    await store.append([recordOf("b")]);
    expect(fs.fileNames()).toEqual([segmentName(1), segmentName(2)]);
    fs.damage(segmentName(1), 20, new Uint8Array([0x00, 0x00]));
    const opening = openLogOutboxStore({ fs: fs.crash(), ...OPTIONS });
    await expect(opening).rejects.toBeInstanceOf(OutboxLogCorruptError);
    await expect(opening).rejects.toMatchObject({ file: segmentName(1), offset: 0 });
    await expect(opening).rejects.toThrow(
      /0000000001\.log is corrupt at offset 0: a frame failing its CRC-32/,
    );
  });

  it("rotates at the segment size and deletes a segment once every put in it is done", async () => {
    const fs = new CrashingFs();
    const store = await openLogOutboxStore({ fs, ...ONE_WRITE_PER_SEGMENT });
    await store.append([recordOf("a")]);
    await store.append([recordOf("b")]);
    await store.append([recordOf("c")]);
    expect(fs.fileNames()).toEqual([1, 2, 3].map(segmentName));
    const [a, b] = await store.claim(2, 0);
    await store.complete([a!.id]);
    await deletionsDone();
    // Segment 1 held only `a`; segment 4 holds the done, and is being written.
    expect(fs.fileNames()).toEqual([2, 3, 4].map(segmentName));
    await store.complete([b!.id]);
    await deletionsDone();
    expect(fs.fileNames()).toEqual([3, 5].map(segmentName));
    expect(fs.fileNames()).not.toContain(segmentName(4));
  });

  it("keeps a segment whose retry state is the latest for a waiting record", async () => {
    const fs = new CrashingFs();
    const store = await openLogOutboxStore({ fs, ...ONE_WRITE_PER_SEGMENT });
    await store.append([recordOf("a"), recordOf("b")]);
    const [a, b] = await store.claim(2, 0);
    await store.reschedule(a!.id, {
      attempts: 4,
      notBefore: 0,
      firstAttemptAt: 1,
      lastAttemptAt: 2,
      lastError: "x",
    });
    await store.complete([b!.id]);
    await deletionsDone();
    // Segment 1 holds a's put, segment 2 its retry state; segment 3 (done b) is being written.
    expect(fs.fileNames()).toEqual([1, 2, 3].map(segmentName));
    const reopened = await openLogOutboxStore({ fs: fs.crash(), ...ONE_WRITE_PER_SEGMENT });
    expect((await drain(reopened)).map((r) => [markerOf(r), r.attempts])).toEqual([["a", 4]]);
  });

  it("deletes dead segments oldest first, so a crash between two deletions revives nothing", async () => {
    // Segment 1: puts a and c. Segment 2: done a (it must outlive segment 1). Segment 3: done c.
    // Then 1 and 2 are dead together; were 2 deleted first, a crash before 1 went would revive a.
    for (let call = 1; call <= 8; call++) {
      const fs = new CrashingFs();
      const store = await openLogOutboxStore({ fs, ...ONE_WRITE_PER_SEGMENT });
      await store.append([recordOf("a"), recordOf("c")]);
      const [a, c] = await store.claim(2, 0);
      await store.complete([a!.id]);
      await deletionsDone();
      expect(fs.fileNames()).toEqual([1, 2].map(segmentName));
      fs.crashAt(call);
      await store.complete([c!.id]).catch(() => {});
      await deletionsDone();
      const disk = fs.crashed ? fs.survivor! : fs.crash();
      const reopened = await openLogOutboxStore({ fs: disk, ...OPTIONS });
      const left = (await drain(reopened)).map(markerOf);
      expect(left.includes("a"), `crash at call ${call}: a came back`).toBe(false);
      expect(
        left.filter((m) => m !== "c"),
        `crash at call ${call}`,
      ).toEqual([]);
    }
  });

  it("keeps ids increasing after every older segment is gone", async () => {
    const fs = new CrashingFs();
    const store = await openLogOutboxStore({ fs, ...ONE_WRITE_PER_SEGMENT });
    await store.append([recordOf("a"), recordOf("b")]);
    const first = await store.claim(2, 0);
    await store.complete(first.map((r) => r.id));
    await deletionsDone();
    expect(fs.fileNames()).toEqual([segmentName(2)]);
    const reopened = await openLogOutboxStore({ fs: fs.crash(), ...ONE_WRITE_PER_SEGMENT });
    await reopened.append([recordOf("c")]);
    const [c] = await reopened.claim(1, 0);
    expect(c!.id > first[1]!.id).toBe(true);
  });
});
