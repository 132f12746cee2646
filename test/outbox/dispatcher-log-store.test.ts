/**
 * The dispatcher over the one-node log store (src/entries/node/outbox) on a
 * disk that can crash: per-key order across retries holds there too, and a
 * record that failed survives a restart with its attempts.
 */
import { describe, expect, it, vi } from "vitest";
import { acked, type PublishOutcome, retriable } from "../../src/adapter/adapter.js";
import { openLogOutboxStore } from "../../src/entries/node/outbox/log-outbox-store.js";
import { CrashingFs } from "../support/crashing-fs.js";
import { scriptedAdapter } from "../support/scripted-adapter.js";
import { dispatcherWith, idOf, recordFor } from "./dispatcher-harness.js";

const BOUNDS = { maxRecords: 1_000, maxBytes: 1_000_000 };
const RETRY = { maxAttempts: 5, initialDelayMs: 20, maxDelayMs: 20, jitter: "none" };

describe("outbox dispatcher over the log store", () => {
  it("delivers one key's events in append order across retries, while another key proceeds", async () => {
    const acks: string[] = [];
    let a1Failures = 2;
    const ordered = scriptedAdapter((message) => {
      const id = idOf(message);
      if (id === "a1" && a1Failures-- > 0) return retriable("not yet");
      acks.push(id);
      return acked();
    });
    const store = await openLogOutboxStore({ fs: new CrashingFs(), ...BOUNDS });
    const { dispatcher, append } = dispatcherWith({
      adapters: { ordered },
      targets: { ordered: { type: "scripted", retry: RETRY } },
      store,
    });
    await append(
      recordFor("ordered", "a1", { orderingKey: "A" }),
      recordFor("ordered", "a2", { orderingKey: "A" }),
      recordFor("ordered", "b1", { orderingKey: "B" }),
      recordFor("ordered", "a3", { orderingKey: "A" }),
    );
    dispatcher.start();
    await vi.waitFor(() => expect(store.stats().size).toBe(0), { timeout: 3_000 });
    expect(acks).toEqual(["b1", "a1", "a2", "a3"]);
    await dispatcher.stop(100);
    await store.close();
  });

  it("keeps a failing record's attempts across a crash, and delivers it after the restart", async () => {
    const state = { outcome: retriable("down") as PublishOutcome };
    const target = scriptedAdapter(() => state.outcome);
    const fs = new CrashingFs();
    const first = dispatcherWith({
      adapters: { target },
      targets: { target: { type: "scripted", retry: RETRY } },
      store: await openLogOutboxStore({ fs, ...BOUNDS }),
    });
    first.dispatcher.start();
    await first.append(recordFor("target", "e1"));
    await vi.waitFor(() => expect(first.stagesOf("delivered").length).toBeGreaterThanOrEqual(2));
    await first.dispatcher.stop(1_000);
    const attemptsBefore = first.stagesOf("delivered").length;

    state.outcome = acked();
    const reopened = await openLogOutboxStore({ fs: fs.crash(), ...BOUNDS });
    const second = dispatcherWith({
      adapters: { target },
      targets: { target: { type: "scripted", retry: RETRY } },
      store: reopened,
    });
    second.dispatcher.start();
    await vi.waitFor(() => expect(reopened.stats().size).toBe(0));
    expect(second.stagesOf("delivered")).toMatchObject([
      { eventId: "e1", attempts: attemptsBefore + 1, outcome: { status: "acked" } },
    ]);
    await second.dispatcher.stop(100);
  });
});
