/**
 * The JetStream outbox against a real nats-server, with two store instances
 * on one stream as two gateway instances would be: a key's records go out
 * one at a time and in order across both, a lease a closed instance held
 * moves to the other after the ack wait, bounds refuse appends, and the
 * dispatcher delivers through it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { acked, retriable } from "../../src/adapter/adapter.js";
import {
  OutboxFullError,
  type OutboxStore,
  type Rescheduled,
} from "../../src/deliver/outbox/outbox-store.js";
import {
  type JetStreamOutboxOptions,
  openJetStreamOutboxStore,
} from "../../src/entries/node/outbox/jetstream-outbox-store.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";
import { scriptedAdapter } from "../support/scripted-adapter.js";
import { dispatcherWith, idOf, recordFor } from "./dispatcher-harness.js";
import { markerOf, recordOf } from "./outbox-fixtures.js";

let server: NatsServer;
let streams = 0;
const opened: OutboxStore[] = [];

beforeAll(async () => {
  server = await startNatsServer();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close().catch(() => {})));
});
afterAll(async () => {
  await server.dispose();
});

type Options = Partial<Omit<JetStreamOutboxOptions, "servers" | "stream">>;

/** Instances sharing one new stream. */
async function instances(count: number, options: Options = {}): Promise<OutboxStore[]> {
  const stream = `outbox_test_${++streams}`;
  const stores: OutboxStore[] = [];
  for (let i = 0; i < count; i++) {
    const store = await openJetStreamOutboxStore({
      servers: server.url,
      stream,
      maxRecords: 1_000,
      maxBytes: 1_000_000,
      statsIntervalMs: 100,
      ...options,
    });
    opened.push(store);
    stores.push(store);
  }
  return stores;
}

const failedUntil = (notBefore: number, attempts = 1): Rescheduled => ({
  attempts,
  notBefore,
  firstAttemptAt: Date.now(),
  lastAttemptAt: Date.now(),
  lastError: "503 Service Unavailable",
});

describe("JetStream outbox store", () => {
  it("hands out what was appended, with its fields, and forgets it once completed", async () => {
    const [store] = (await instances(1)) as [OutboxStore];
    const original = new TextEncoder().encode("as received");
    await store.append([
      recordOf("a", { acceptedAt: 100, route: "r1", deadLetter: "dlq", orderingKey: "k\nwith a break" }),
      { ...recordOf("b", { acceptedAt: 200, target: "audit" }), original },
    ]);
    await vi.waitFor(() =>
      expect(store.stats()).toEqual(
        new Map([
          ["orders", expect.objectContaining({ depth: 1, oldestAcceptedAt: 100 })],
          ["audit", expect.objectContaining({ depth: 1, oldestAcceptedAt: 200 })],
        ]),
      ),
    );
    const claimed = await store.claim(10, Date.now());
    expect(claimed.map(markerOf)).toEqual(["a", "b"]);
    expect(claimed[0]).toMatchObject({
      target: "orders",
      route: "r1",
      deadLetter: "dlq",
      orderingKey: "k\nwith a break",
      acceptedAt: 100,
      attempts: 0,
    });
    expect(claimed[1]?.original).toEqual(original);
    expect([...claimed.map((r) => r.id)].sort()).toEqual(claimed.map((r) => r.id));
    expect(await store.claim(10, Date.now())).toEqual([]);
    await store.complete(claimed.map((r) => r.id));
    await vi.waitFor(() => expect(store.stats().size).toBe(0));
  });

  it("leases one record of a key at a time across two instances, in append order", async () => {
    const [first, second] = (await instances(2)) as [OutboxStore, OutboxStore];
    const k1 = { orderingKey: "k1" };
    await first.append([recordOf("a1", k1), recordOf("a2", k1), recordOf("a3", k1)]);
    const [a1] = await first.claim(10, Date.now());
    expect(markerOf(a1!)).toBe("a1");
    expect(await second.claim(10, Date.now())).toEqual([]);
    expect(await first.claim(10, Date.now())).toEqual([]);
    await first.complete([a1!.id]);
    expect((await second.claim(10, Date.now())).map(markerOf)).toEqual(["a2"]);
    expect(await first.claim(10, Date.now())).toEqual([]);
  });

  it("hands out records without a key, and other keys, in parallel", async () => {
    const [store] = (await instances(1, { shards: 64 })) as [OutboxStore];
    await store.append([recordOf("u1"), recordOf("u2"), recordOf("x", { orderingKey: "k1" })]);
    await store.append([recordOf("y", { orderingKey: "k2", target: "audit" })]);
    const claimed = await store.claim(10, Date.now());
    expect(claimed.map(markerOf).sort()).toEqual(["u1", "u2", "x", "y"]);
  });

  it("does not hand a rescheduled record out again before its delay, then does with its attempts", async () => {
    const [first, second] = (await instances(2)) as [OutboxStore, OutboxStore];
    const k1 = { orderingKey: "k1" };
    await first.append([recordOf("a", k1), recordOf("b", k1)]);
    const [a] = await first.claim(10, Date.now());
    await first.reschedule(a!.id, failedUntil(Date.now() + 400, 3));
    const heldBack = Date.now() + 300;
    while (Date.now() < heldBack) {
      expect(await first.claim(10, Date.now())).toEqual([]);
      expect(await second.claim(10, Date.now())).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const again = await vi.waitFor(async () => {
      const [record] = await first.claim(10, Date.now());
      expect(record).toBeDefined();
      return record!;
    });
    expect([markerOf(again), again.attempts, again.lastError]).toEqual(["a", 3, "503 Service Unavailable"]);
  });

  it("moves a lease held by a closed instance to the other once the ack wait ran out", async () => {
    const [first, second] = (await instances(2, { ackWaitMs: 600 })) as [OutboxStore, OutboxStore];
    await first.append([recordOf("a", { orderingKey: "k1" }), recordOf("b", { orderingKey: "k1" })]);
    const [a] = await first.claim(10, Date.now());
    await first.close();
    const closedAt = Date.now();
    expect(await second.claim(10, Date.now())).toEqual([]);
    const taken = await vi.waitFor(
      async () => {
        const [record] = await second.claim(10, Date.now());
        expect(record).toBeDefined();
        return record!;
      },
      { timeout: 5_000, interval: 50 },
    );
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(400);
    expect([markerOf(taken), taken.id, taken.attempts]).toEqual(["a", a!.id, 1]);
  });

  it("keeps a lease alive past the ack wait while it is held", async () => {
    const [first, second] = (await instances(2, { ackWaitMs: 600 })) as [OutboxStore, OutboxStore];
    await first.append([recordOf("a", { orderingKey: "k1" })]);
    expect(await first.claim(10, Date.now())).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await second.claim(10, Date.now())).toEqual([]);
  });

  it("keeps appended records, and their order, across a server restart", async () => {
    const [store] = (await instances(1)) as [OutboxStore];
    const k1 = { orderingKey: "k1" };
    await store.append([recordOf("a", k1), recordOf("b", k1), recordOf("c")]);
    await server.restart();
    const claimed = await vi.waitFor(
      async () => {
        const records = await store.claim(10, Date.now());
        expect(records).not.toEqual([]);
        return records;
      },
      { timeout: 5_000, interval: 100 },
    );
    expect(claimed.map(markerOf)).toEqual(["a", "c"]);
  });

  it("refuses appends past maxRecords, and takes them again once records are completed", async () => {
    const [store] = (await instances(1, { maxRecords: 2 })) as [OutboxStore];
    await store.append([recordOf("a"), recordOf("b")]);
    const refused = store.append([recordOf("c")]);
    await expect(refused).rejects.toBeInstanceOf(OutboxFullError);
    await expect(refused).rejects.toMatchObject({ limit: "maxRecords", bound: 2 });
    const [a] = await store.claim(1, Date.now());
    await store.complete([a!.id]);
    await store.append([recordOf("c")]);
    await vi.waitFor(() => expect(store.stats().get("orders")?.depth).toBe(2));
  });

  it("refuses appends past maxBytes", async () => {
    const [store] = (await instances(1, { maxBytes: 400 })) as [OutboxStore];
    await store.append([recordOf("x".repeat(100))]);
    await expect(store.append([recordOf("y".repeat(300))])).rejects.toMatchObject({
      limit: "maxBytes",
      bound: 400,
    });
  });

  it("refuses to open a stream laid out with another shard count", async () => {
    const stream = `outbox_test_${++streams}`;
    const options = { servers: server.url, stream, maxRecords: 10, maxBytes: 10_000 };
    opened.push(await openJetStreamOutboxStore({ ...options, shards: 4 }));
    await expect(openJetStreamOutboxStore({ ...options, shards: 8 })).rejects.toThrow(/shards=4/);
  });
});

describe("the dispatcher over the JetStream outbox", () => {
  it("delivers every record once per key in order, through two instances", async () => {
    const stores = await instances(2, { shards: 4 });
    const acks: string[] = [];
    const failedOnce = new Set<string>();
    const target = scriptedAdapter((message) => {
      const id = idOf(message);
      // Every third event fails once: the retry must not let the next of its key overtake it.
      if (Number(id.split("-")[1]) % 3 === 0 && !failedOnce.has(id)) {
        failedOnce.add(id);
        return retriable("not yet");
      }
      acks.push(id);
      return acked();
    });
    const retry = { maxAttempts: 5, initialDelayMs: 20, maxDelayMs: 20, jitter: "none" };
    const dispatchers = stores.map((store) =>
      dispatcherWith({ adapters: { target }, targets: { target: { type: "scripted", retry } }, store }),
    );
    const keys = ["A", "B", "C"];
    const ids = Array.from({ length: 24 }, (_, i) => `${keys[i % keys.length]}-${i}`);
    await dispatchers[0]!.append(
      ...ids.map((id) => recordFor("target", id, { orderingKey: id.split("-")[0] as string })),
    );
    for (const { dispatcher } of dispatchers) dispatcher.start();
    await vi.waitFor(() => expect(acks.length).toBe(ids.length), { timeout: 10_000 });
    for (const key of keys) {
      expect(acks.filter((id) => id.startsWith(`${key}-`))).toEqual(
        ids.filter((id) => id.startsWith(`${key}-`)),
      );
    }
    const delivered = dispatchers.flatMap(({ stagesOf }) => stagesOf("delivered"));
    expect(delivered.filter((report) => report.attempts === 2).length).toBe(failedOnce.size);
    await vi.waitFor(() => expect(stores[1]!.stats().size).toBe(0));
    await Promise.all(dispatchers.map(({ dispatcher }) => dispatcher.stop(100)));
  });
});

describe("the JetStream outbox's size limit", () => {
  let small: NatsServer;
  beforeAll(async () => {
    small = await startNatsServer({ maxPayload: 4096 });
  });
  afterAll(async () => {
    await small?.dispose();
  });

  it("refuses exactly the records the server's max_payload cannot carry, and stores the largest that fits", async () => {
    const store = await openJetStreamOutboxStore({
      servers: small.url,
      stream: "outbox_size",
      maxRecords: 100,
      maxBytes: 1_000_000,
    });
    opened.push(store);
    const sized = (bytes: number) =>
      recordOf("x".repeat(bytes), { route: "r", deadLetter: "dl", orderingKey: "k" });
    const why = store.whyTooLarge as (record: ReturnType<typeof sized>) => string | undefined;
    let fits = 4096;
    while (why(sized(fits)) !== undefined) fits -= 1;
    expect(why(sized(fits + 1))).toMatch(/carries at most 4096 \(max_payload\)/);
    // The count is exact or errs large: the largest record it lets through is stored.
    await store.append([sized(fits)]);
    await vi.waitFor(() => expect(store.stats().get("orders")?.depth).toBe(1));
    expect(4096 - fits).toBeLessThan(300);
  });
});
