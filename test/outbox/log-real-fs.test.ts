/** The outbox log on the real file system: written, closed, reopened from the folder, claimed. */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openLogOutboxStore } from "../../src/entries/node/outbox/log-outbox-store.js";
import { nodeOutboxFs } from "../../src/entries/node/outbox/node-outbox-fs.js";
import { drain, markerOf, recordOf } from "./outbox-fixtures.js";

const OPTIONS = { maxRecords: 1_000, maxBytes: 1_000_000 };
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("outbox log on disk", () => {
  it("keeps what was appended across a close and a reopen", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), "ce-outbox-")), "outbox");
    dirs.push(dir);
    const store = await openLogOutboxStore({ fs: await nodeOutboxFs(dir), ...OPTIONS });
    await Promise.all([
      store.append([recordOf("a", { orderingKey: "k" }), recordOf("b", { orderingKey: "k" })]),
      store.append([recordOf("c")]),
    ]);
    const [first] = await store.claim(1, 0);
    await store.reschedule(first!.id, {
      attempts: 1,
      notBefore: 0,
      firstAttemptAt: 1,
      lastAttemptAt: 1,
      lastError: "e",
    });
    await store.close();
    expect(await readdir(dir)).toEqual(["0000000001.log"]);

    const reopened = await openLogOutboxStore({ fs: await nodeOutboxFs(dir), ...OPTIONS });
    const claimed = await reopened.claim(10, 0);
    expect(claimed.map((r) => [markerOf(r), r.attempts])).toEqual([
      ["a", 1],
      ["c", 0],
    ]);
    await reopened.complete(claimed.map((r) => r.id));
    expect((await drain(reopened)).map(markerOf)).toEqual(["b"]);
    await reopened.close();
  });

  it("rotates into new files and deletes the dead ones", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), "ce-outbox-")), "outbox");
    dirs.push(dir);
    const store = await openLogOutboxStore({ fs: await nodeOutboxFs(dir), ...OPTIONS, segmentBytes: 1 });
    for (const marker of ["a", "b", "c"]) await store.append([recordOf(marker)]);
    expect(await readdir(dir)).toHaveLength(3);
    expect((await drain(store)).map(markerOf)).toEqual(["a", "b", "c"]);
    await store.close();
    expect(await readdir(dir)).toEqual(["0000000004.log"]);
  });
});
