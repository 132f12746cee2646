/**
 * Claims: due records only, oldest first; one record at a time per (target,
 * orderingKey), in the order they were appended, also across a reschedule
 * and a reopen; different keys, and records without a key, in parallel.
 */
import { describe, expect, it } from "vitest";
import type { OutboxRecord, OutboxStore, Rescheduled } from "../../src/deliver/outbox/outbox-store.js";
import { openLogOutboxStore } from "../../src/entries/node/outbox/log-outbox-store.js";
import { CrashingFs } from "../support/crashing-fs.js";
import { markerOf, recordOf } from "./outbox-fixtures.js";

const OPTIONS = { maxRecords: 10_000, maxBytes: 10_000_000 };
const NOW = 1_000_000;

async function storeWith(
  ...records: Parameters<typeof recordOf>[]
): Promise<{ store: OutboxStore; fs: CrashingFs }> {
  const fs = new CrashingFs();
  const store = await openLogOutboxStore({ fs, ...OPTIONS });
  await store.append(records.map((args) => recordOf(...args)));
  return { store, fs };
}

const markers = (records: readonly OutboxRecord[]) => records.map(markerOf);

const failedUntil = (notBefore: number, attempts = 1): Rescheduled => ({
  attempts,
  notBefore,
  firstAttemptAt: NOW,
  lastAttemptAt: NOW,
  lastError: "503 Service Unavailable",
});

describe("outbox log claims", () => {
  it("hands out one record of a key at a time, in the order they were appended", async () => {
    const k1 = { orderingKey: "k1" };
    const { store } = await storeWith(["a", k1], ["b", k1], ["c", k1]);
    const [a] = await store.claim(10, NOW);
    expect(markerOf(a!)).toBe("a");
    expect(await store.claim(10, NOW)).toEqual([]);
    await store.complete([a!.id]);
    expect(markers(await store.claim(10, NOW))).toEqual(["b"]);
  });

  it("keeps a rescheduled record at the head of its key until it is due again", async () => {
    const k1 = { orderingKey: "k1" };
    const { store } = await storeWith(["a", k1], ["b", k1]);
    const [a] = await store.claim(10, NOW);
    await store.reschedule(a!.id, failedUntil(NOW + 100));
    expect(await store.claim(10, NOW + 99)).toEqual([]);
    const [again] = await store.claim(10, NOW + 100);
    expect([markerOf(again!), again!.attempts, again!.lastError]).toEqual([
      "a",
      1,
      "503 Service Unavailable",
    ]);
    await store.complete([again!.id]);
    expect(markers(await store.claim(10, NOW + 100))).toEqual(["b"]);
  });

  it("keeps that order after a reopen, with the attempts so far", async () => {
    const k1 = { orderingKey: "k1" };
    const { store, fs } = await storeWith(["a", k1], ["b", k1]);
    const [a] = await store.claim(10, NOW);
    await store.reschedule(a!.id, failedUntil(NOW + 100, 3));
    const reopened = await openLogOutboxStore({ fs: fs.crash(), ...OPTIONS });
    expect(await reopened.claim(10, NOW)).toEqual([]);
    const [again] = await reopened.claim(10, NOW + 100);
    expect([markerOf(again!), again!.attempts, again!.notBefore]).toEqual(["a", 3, NOW + 100]);
  });

  it("hands out different keys, and the same key of different targets, in parallel", async () => {
    const { store } = await storeWith(
      ["a1", { orderingKey: "k1" }],
      ["a2", { orderingKey: "k1" }],
      ["b1", { orderingKey: "k2" }],
      ["c1", { orderingKey: "k1", target: "audit" }],
    );
    expect(markers(await store.claim(10, NOW))).toEqual(["a1", "b1", "c1"]);
  });

  it("does not serialize records without a key", async () => {
    const { store } = await storeWith(["a"], ["b"], ["c"]);
    expect(markers(await store.claim(10, NOW))).toEqual(["a", "b", "c"]);
  });

  it("hands out the oldest first, at most `max`, each once", async () => {
    const { store } = await storeWith(["a"], ["b"], ["c"], ["d"]);
    expect(markers(await store.claim(2, NOW))).toEqual(["a", "b"]);
    expect(markers(await store.claim(2, NOW))).toEqual(["c", "d"]);
    expect(await store.claim(2, NOW)).toEqual([]);
  });

  it("holds back a record until its notBefore, and hands out the others meanwhile", async () => {
    const { store } = await storeWith(["a"], ["b"]);
    const [a] = await store.claim(1, NOW);
    await store.reschedule(a!.id, failedUntil(NOW + 500));
    expect(markers(await store.claim(10, NOW + 499))).toEqual(["b"]);
    expect(markers(await store.claim(10, NOW + 500))).toEqual(["a"]);
  });

  it("gives out ids that increase in append order", async () => {
    const { store } = await storeWith(["a"], ["b"], ["c"]);
    const ids = (await store.claim(10, NOW)).map((r) => r.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
  });
});
