/**
 * Bounds and stats: an append past `maxRecords` or `maxBytes` (appends still
 * being written count too) is refused whole with OutboxFullError and stores
 * nothing; stats give depth, event bytes and the oldest record per target,
 * the same after a reopen.
 */
import { describe, expect, it } from "vitest";
import { OutboxFullError } from "../../src/deliver/outbox/outbox-store.js";
import { openLogOutboxStore } from "../../src/entries/node/outbox/log-outbox-store.js";
import { CrashingFs } from "../support/crashing-fs.js";
import { drain, markerOf, recordOf } from "./outbox-fixtures.js";

describe("outbox log bounds", () => {
  it("refuses a whole append past maxRecords, storing none of it", async () => {
    const fs = new CrashingFs();
    const store = await openLogOutboxStore({ fs, maxRecords: 3, maxBytes: 1_000 });
    await store.append([recordOf("a"), recordOf("b")]);
    const appendsBefore = fs.appends;
    const refused = store.append([recordOf("c"), recordOf("d")]);
    await expect(refused).rejects.toBeInstanceOf(OutboxFullError);
    await expect(refused).rejects.toMatchObject({ limit: "maxRecords", bound: 3 });
    expect(fs.appends).toBe(appendsBefore);
    expect(store.stats().get("orders")?.depth).toBe(2);
    const reopened = await openLogOutboxStore({ fs: fs.crash(), maxRecords: 3, maxBytes: 1_000 });
    expect((await drain(reopened)).map(markerOf)).toEqual(["a", "b"]);
  });

  it("refuses past maxBytes of event bytes", async () => {
    const store = await openLogOutboxStore({ fs: new CrashingFs(), maxRecords: 100, maxBytes: 10 });
    await store.append([recordOf("12345678")]);
    await expect(store.append([recordOf("123")])).rejects.toMatchObject({ limit: "maxBytes", bound: 10 });
    await store.append([recordOf("12")]);
    expect(store.stats().get("orders")?.bytes).toBe(10);
  });

  it("counts appends not yet on disk against the bound", async () => {
    const store = await openLogOutboxStore({ fs: new CrashingFs(), maxRecords: 3, maxBytes: 1_000 });
    const first = store.append([recordOf("a"), recordOf("b")]);
    const second = store.append([recordOf("c"), recordOf("d")]);
    await expect(second).rejects.toBeInstanceOf(OutboxFullError);
    await first;
    expect(store.stats().get("orders")?.depth).toBe(2);
  });

  it("takes appends again once records are completed", async () => {
    const store = await openLogOutboxStore({ fs: new CrashingFs(), maxRecords: 2, maxBytes: 1_000 });
    await store.append([recordOf("a"), recordOf("b")]);
    await expect(store.append([recordOf("c")])).rejects.toBeInstanceOf(OutboxFullError);
    const [a] = await store.claim(1, 0);
    await store.complete([a!.id]);
    await store.append([recordOf("c")]);
    expect(store.stats().get("orders")?.depth).toBe(2);
  });
});

describe("outbox log stats", () => {
  it("gives depth, bytes and the oldest record per target, also after a reopen", async () => {
    const fs = new CrashingFs();
    const store = await openLogOutboxStore({ fs, maxRecords: 100, maxBytes: 1_000 });
    expect(store.stats().size).toBe(0);
    await store.append([
      recordOf("aaaa", { acceptedAt: 100 }),
      recordOf("bb", { acceptedAt: 200, target: "audit" }),
    ]);
    await store.append([recordOf("cccccc", { acceptedAt: 300 })]);
    const expected = new Map([
      ["orders", { depth: 2, bytes: 10, oldestAcceptedAt: 100 }],
      ["audit", { depth: 1, bytes: 2, oldestAcceptedAt: 200 }],
    ]);
    expect(store.stats()).toEqual(expected);
    const reopened = await openLogOutboxStore({ fs: fs.crash(), maxRecords: 100, maxBytes: 1_000 });
    expect(reopened.stats()).toEqual(expected);

    const [oldest] = await reopened.claim(1, 0);
    await reopened.complete([oldest!.id]);
    expect(reopened.stats().get("orders")).toEqual({ depth: 1, bytes: 6, oldestAcceptedAt: 300 });
    const rest = await reopened.claim(10, 0);
    await reopened.complete(rest.map((r) => r.id));
    expect(reopened.stats().size).toBe(0);
  });
});
