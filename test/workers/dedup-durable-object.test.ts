/**
 * Gateway-level dedup on Workers: the records live in DedupObject Durable
 * Objects (SQLite-backed, bound as DEDUP), reached through the Worker's
 * DedupStore running in workerd. The contract in real time with a 2 s
 * window, with one shard and with several (a batch spread over objects);
 * the object's alarm deleting what expired from its storage; and the Worker
 * that wrangler builds exports the class its wrangler.toml binds.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DedupPair, DedupRecord, DedupStore } from "../../src/deliver/dedup/dedup-store.js";
import type { DedupNamespace } from "../../src/entries/workers/dedup-via-durable-object.js";
import { dedupStoreContract } from "../deliver/dedup-store-contract.js";
import { projectRoot } from "../support/cli-process.js";
import { bundleForWorkerd } from "../support/workerd-bundle.js";
import { callWorker } from "../support/workerd-nats.js";
import { runBuiltWorker, wranglerBuild } from "../support/wrangler-build.js";

const WINDOW_MS = 2_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let worker: Miniflare;

beforeAll(async () => {
  const script = await bundleForWorkerd({ entry: `${projectRoot}/test/support/workerd-dedup-worker.ts` });
  worker = new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2025-09-01",
    durableObjects: { DEDUP: { className: "DedupObject", useSQLite: true } },
  });
  await worker.ready;
}, 60_000);

afterAll(async () => {
  await worker?.dispose();
});

/** How many records the one object persisted under `dir` holds, expired or not (its SQLite file, read directly). */
function storedRows(dir: string): number {
  // Miniflare keeps one SQLite file per object, named by its id, beside the namespace's metadata.sqlite.
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter(
    (f) => f.endsWith(".sqlite") && !f.endsWith("metadata.sqlite"),
  );
  expect(files).toHaveLength(1);
  const db = new DatabaseSync(join(dir, files[0] as string), { readOnly: true });
  try {
    return Number((db.prepare("SELECT COUNT(*) AS n FROM records").get() as { n: number }).n);
  } finally {
    db.close();
  }
}

async function eventually(probe: () => boolean, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (!probe()) {
    if (Date.now() >= until) return false;
    await sleep(100);
  }
  return true;
}

/** The Worker's store, driven from Node: each call is a request into the Worker. */
function storeInWorkerd(shards: number): DedupStore {
  return {
    async lookup(pairs: readonly DedupPair[]) {
      const { records } = await callWorker<{ records: (DedupRecord | null)[] }>(worker, "/lookup", {
        windowMs: WINDOW_MS,
        shards,
        pairs,
      });
      return records.map((record) => record ?? undefined);
    },
    async record(entries) {
      await callWorker(worker, "/record", { windowMs: WINDOW_MS, shards, entries });
    },
    close: () => Promise.resolve(),
  };
}

for (const shards of [1, 4]) {
  dedupStoreContract(
    `durable object, ${shards} shard(s)`,
    async () => ({ store: storeInWorkerd(shards), passTime: sleep, teardown: async () => {} }),
    { windowMs: WINDOW_MS, forgetGraceMs: 500 },
  );
}

describe("durable object dedup store", () => {
  it("answers a batch spread over shards in the order asked", async () => {
    const store = storeInWorkerd(4);
    const pairs = Array.from({ length: 40 }, (_, n) => ({ source: "https://example.com/batch", id: `${n}` }));
    await store.record(
      pairs.map((pair, n) => ({ pair, record: { acked: [`t${n}`], complete: n % 2 === 0 } })),
    );
    const records = await store.lookup(pairs);
    expect(records).toEqual(pairs.map((_, n) => ({ acked: [`t${n}`], complete: n % 2 === 0 })));
  });

  it("deletes expired records from the object's storage when its alarm fires, and keeps the others", async () => {
    const persist = mkdtempSync(join(tmpdir(), "ce-gateway-dedup-do-"));
    const persisted = new Miniflare({
      modules: true,
      script: await bundleForWorkerd({ entry: `${projectRoot}/test/support/workerd-dedup-worker.ts` }),
      compatibilityDate: "2025-09-01",
      durableObjects: { DEDUP: { className: "DedupObject", useSQLite: true } },
      durableObjectsPersist: persist,
    });
    try {
      const record = (id: string, windowMs: number) =>
        callWorker(persisted, "/record", {
          windowMs,
          shards: 1,
          entries: [
            { pair: { source: "https://example.com/sweep", id }, record: { acked: ["t"], complete: true } },
          ],
        });
      await record("short", 1_000);
      await record("long", 60_000);
      expect(storedRows(persist)).toBe(2);
      const swept = await eventually(() => storedRows(persist) === 1, 10_000);
      expect(swept).toBe(true);
      const { records } = await callWorker<{ records: unknown[] }>(persisted, "/lookup", {
        windowMs: 60_000,
        shards: 1,
        pairs: [{ source: "https://example.com/sweep", id: "long" }],
      });
      expect(records).toEqual([{ acked: ["t"], complete: true }]);
    } finally {
      await persisted.dispose();
      rmSync(persist, { recursive: true, force: true });
    }
  }, 30_000);

  it("is exported by the Worker wrangler builds, which binds it as DEDUP", async () => {
    const build = await wranglerBuild();
    const built = await runBuiltWorker(build.outdir);
    try {
      // Miniflare's proxy of the binding: the object's RPC methods are called from here.
      const namespace = (await built.getDurableObjectNamespace("DEDUP")) as unknown as DedupNamespace;
      const object = namespace.get(namespace.idFromName("dedup-0"));
      await object.record([{ key: "k1", record: { acked: ["orders"], complete: true } }], 60_000);
      expect(await object.lookup(["k1", "k2"])).toEqual([{ acked: ["orders"], complete: true }, null]);
    } finally {
      await built.dispose();
    }
  }, 180_000);
});
