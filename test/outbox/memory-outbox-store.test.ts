/**
 * The in-memory outbox keeps the store's promises: due records only, oldest
 * first, at most `max`; one record at a time per (target, orderingKey), in
 * append order, also across a reschedule; whole appends refused past its
 * bounds; stats per target.
 */
import { describe, expect, it } from "vitest";
import { MemoryOutboxStore } from "../../src/deliver/outbox/memory-outbox-store.js";
import {
  type NewOutboxRecord,
  OutboxFullError,
  type OutboxRecord,
  type Rescheduled,
} from "../../src/deliver/outbox/outbox-store.js";

const NOW = 1_000_000;

const recordOf = (marker: string, fields: Partial<Omit<NewOutboxRecord, "event">> = {}): NewOutboxRecord => ({
  target: "orders",
  acceptedAt: 1_000,
  ...fields,
  event: new TextEncoder().encode(marker),
});

const markers = (records: readonly OutboxRecord[]) => records.map((r) => new TextDecoder().decode(r.event));

const failedUntil = (notBefore: number, attempts = 1): Rescheduled => ({
  attempts,
  notBefore,
  firstAttemptAt: NOW,
  lastAttemptAt: NOW,
  lastError: "503 Service Unavailable",
});

async function storeWith(...records: NewOutboxRecord[]) {
  const store = new MemoryOutboxStore();
  await store.append(records);
  return store;
}

describe("memory outbox claims", () => {
  it("hands out the oldest first, at most `max`, each once, with ids increasing in append order", async () => {
    const store = await storeWith(recordOf("a"), recordOf("b"), recordOf("c"));
    const first = await store.claim(2, NOW);
    expect(markers(first)).toEqual(["a", "b"]);
    expect(markers(await store.claim(2, NOW))).toEqual(["c"]);
    expect(await store.claim(2, NOW)).toEqual([]);
    const ids = first.map((r) => r.id);
    expect([...ids].sort()).toEqual(ids);
    expect(first[0]).toMatchObject({ attempts: 0, notBefore: 0, target: "orders" });
  });

  it("hands out one record of a (target, key) at a time, in order; other keys and targets in parallel", async () => {
    const store = await storeWith(
      recordOf("a1", { orderingKey: "k1" }),
      recordOf("a2", { orderingKey: "k1" }),
      recordOf("b1", { orderingKey: "k2" }),
      recordOf("c1", { orderingKey: "k1", target: "audit" }),
      recordOf("free"),
    );
    const claimed = await store.claim(10, NOW);
    expect(markers(claimed)).toEqual(["a1", "b1", "c1", "free"]);
    expect(await store.claim(10, NOW)).toEqual([]);
    await store.complete([(claimed[0] as OutboxRecord).id]);
    expect(markers(await store.claim(10, NOW))).toEqual(["a2"]);
  });

  it("keeps a rescheduled record at the head of its key until it is due, with its attempt state", async () => {
    const store = await storeWith(recordOf("a", { orderingKey: "k" }), recordOf("b", { orderingKey: "k" }));
    const [a] = await store.claim(10, NOW);
    await store.reschedule((a as OutboxRecord).id, failedUntil(NOW + 100, 2));
    expect(await store.claim(10, NOW + 99)).toEqual([]);
    const [again] = await store.claim(10, NOW + 100);
    expect(again).toMatchObject({ attempts: 2, notBefore: NOW + 100, lastError: "503 Service Unavailable" });
    expect(markers([again as OutboxRecord])).toEqual(["a"]);
  });

  it("hands out other records while one waits for its notBefore", async () => {
    const store = await storeWith(recordOf("a"), recordOf("b"));
    const [a] = await store.claim(1, NOW);
    await store.reschedule((a as OutboxRecord).id, failedUntil(NOW + 500));
    expect(markers(await store.claim(10, NOW))).toEqual(["b"]);
    expect(markers(await store.claim(10, NOW + 500))).toEqual(["a"]);
  });

  it("refuses to reschedule a record it does not hold, and ignores completing one", async () => {
    const store = await storeWith(recordOf("a"));
    await expect(store.reschedule("nope", failedUntil(NOW))).rejects.toThrow(/No outbox record/);
    await store.complete(["nope"]);
    expect(store.stats().get("orders")?.depth).toBe(1);
  });

  it("keeps its own copy of the event bytes", async () => {
    const bytes = new TextEncoder().encode("abc");
    const store = new MemoryOutboxStore();
    await store.append([{ target: "orders", acceptedAt: 1, event: bytes }]);
    bytes[0] = 0x7a;
    expect(markers(await store.claim(1, NOW))).toEqual(["abc"]);
  });

  it("refuses everything once closed", async () => {
    const store = await storeWith(recordOf("a"));
    await store.close();
    await expect(store.claim(1, NOW)).rejects.toThrow(/closed/);
    await expect(store.append([recordOf("b")])).rejects.toThrow(/closed/);
  });
});

describe("memory outbox bounds and stats", () => {
  it("refuses a whole append past maxRecords, storing none of it", async () => {
    const store = new MemoryOutboxStore({ maxRecords: 3 });
    await store.append([recordOf("a"), recordOf("b")]);
    const refused = store.append([recordOf("c"), recordOf("d")]);
    await expect(refused).rejects.toBeInstanceOf(OutboxFullError);
    await expect(refused).rejects.toMatchObject({ limit: "maxRecords", bound: 3 });
    expect(markers(await store.claim(10, NOW))).toEqual(["a", "b"]);
  });

  it("refuses past maxBytes of event bytes, and takes appends again once records are completed", async () => {
    const store = new MemoryOutboxStore({ maxBytes: 10 });
    await store.append([recordOf("12345678")]);
    await expect(store.append([recordOf("123")])).rejects.toMatchObject({ limit: "maxBytes", bound: 10 });
    await store.append([recordOf("12")]);
    const [first] = await store.claim(1, NOW);
    await store.complete([(first as OutboxRecord).id]);
    await store.append([recordOf("123")]);
    expect(store.stats().get("orders")?.bytes).toBe(5);
  });

  it("gives depth, bytes and the oldest record per target", async () => {
    const store = new MemoryOutboxStore();
    expect(store.stats().size).toBe(0);
    await store.append([
      recordOf("aaaa", { acceptedAt: 100 }),
      recordOf("bb", { acceptedAt: 200, target: "audit" }),
      recordOf("cccccc", { acceptedAt: 300 }),
    ]);
    expect(store.stats()).toEqual(
      new Map([
        ["orders", { depth: 2, bytes: 10, oldestAcceptedAt: 100 }],
        ["audit", { depth: 1, bytes: 2, oldestAcceptedAt: 200 }],
      ]),
    );
    const [oldest] = await store.claim(1, NOW);
    await store.complete([(oldest as OutboxRecord).id]);
    expect(store.stats().get("orders")).toEqual({ depth: 1, bytes: 6, oldestAcceptedAt: 300 });
  });
});
