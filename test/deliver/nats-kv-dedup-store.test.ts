/**
 * The NATS KV dedup store against a real nats-server (its own, on a free port
 * with a temporary store): the contract in real time with a 2 s window (the
 * server forgets on its own schedule, given a bounded grace), and what only a
 * shared bucket shows: the bucket's TTL is the window, keys are hashed, and
 * instances writing the same pair at once lose none of each other's keys.
 */
import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashedPairKey } from "../../src/deliver/dedup/dedup-store.js";
import { natsKvDedupStore } from "../../src/entries/node/nats-kv-dedup-store.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";
import { dedupStoreContract } from "./dedup-store-contract.js";

const WINDOW_MS = 2_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let server: NatsServer;
let bucketCount = 0;
const freshBucket = () => `dedup_test_${process.pid}_${++bucketCount}`;

beforeAll(async () => {
  server = await startNatsServer();
}, 30_000);

afterAll(async () => {
  await server?.dispose();
});

dedupStoreContract(
  "nats-kv",
  async () => {
    const store = await natsKvDedupStore({ url: server.url, bucket: freshBucket(), windowMs: WINDOW_MS });
    return { store, passTime: sleep, teardown: () => store.close() };
  },
  { windowMs: WINDOW_MS, forgetGraceMs: 3_000 },
);

describe("nats-kv dedup store", () => {
  it("creates the bucket with the window as its TTL and a history of one, keyed by the hashed pair", async () => {
    const bucket = freshBucket();
    const store = await natsKvDedupStore({ servers: [server.url], bucket, windowMs: 90_000 });
    const pair = { source: "https://example.com/with spaces/and.dots", id: "id:1/2" };
    await store.record([{ pair, record: { acked: ["orders"], complete: true } }]);
    await store.close();

    const nc = await connect({ servers: server.url });
    try {
      const kv = await new Kvm(nc).open(bucket);
      const status = await kv.status();
      expect(status.ttl).toBe(90_000);
      expect(status.history).toBe(1);
      const keys: string[] = [];
      for await (const key of await kv.keys()) keys.push(key);
      expect(keys).toEqual([await hashedPairKey(pair)]);
      const stored = await kv.get(keys[0] as string);
      expect(JSON.parse(new TextDecoder().decode(stored?.value))).toEqual({
        acked: ["orders"],
        complete: true,
      });
    } finally {
      await nc.close();
    }
  });

  it("keeps every instance's acked keys when several write the same pair at once", async () => {
    const bucket = freshBucket();
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => natsKvDedupStore({ url: server.url, bucket, windowMs: 60_000 })),
    );
    try {
      const pair = { source: "https://example.com/race", id: "1" };
      const targets = ["a", "b", "c", "d", "e", "f", "g", "h"];
      await Promise.all(
        targets.map((target, i) =>
          stores[i % stores.length]?.record([
            { pair, record: { acked: [target], complete: target === "h" } },
          ]),
        ),
      );
      const [record] = await (stores[0]?.lookup([pair]) ?? []);
      expect([...(record?.acked ?? [])].sort()).toEqual(targets);
      expect(record?.complete).toBe(true);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it("rejects a write when the server is gone, and closes twice", async () => {
    const store = await natsKvDedupStore({ url: server.url, bucket: freshBucket(), windowMs: 60_000 });
    await store.close();
    await store.close();
    await expect(
      store.record([
        { pair: { source: "https://example.com/s", id: "1" }, record: { acked: [], complete: true } },
      ]),
    ).rejects.toThrow();
  });

  it("refuses to open when no server answers", async () => {
    const down = await startNatsServer();
    const url = down.url;
    await down.dispose();
    await expect(natsKvDedupStore({ url, bucket: freshBucket(), windowMs: 60_000 })).rejects.toThrow();
  });
});
