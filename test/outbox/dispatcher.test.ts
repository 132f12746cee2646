/**
 * The outbox dispatcher against the in-memory store and targets whose
 * answers the test scripts: delivery, retries owned by the outbox, dead
 * letters (and a dead letter that is down), per-key order across retries,
 * the circuit breaker, and stopping with work in flight.
 */
import { describe, expect, it, vi } from "vitest";
import { createMemoryAdapter } from "../../adapters/memory/index.js";
import {
  type Adapter,
  acked,
  type OutboundMessage,
  type PublishOutcome,
  retriable,
  terminal,
} from "../../src/adapter/adapter.js";
import { DISPATCH_STOPPED } from "../../src/deliver/outbox/next-step.js";
import type { OutboxRecord } from "../../src/deliver/outbox/outbox-store.js";
import { logObserver } from "../../src/observe/log-observer.js";
import { ManualClock } from "../support/manual-clock.js";
import { scriptedAdapter } from "../support/scripted-adapter.js";
import { answering, dispatcherWith, idOf, leftIn, recordFor } from "./dispatcher-harness.js";

describe("outbox dispatcher: delivery and retries", () => {
  it("delivers a record to its target and completes it", async () => {
    const memory = createMemoryAdapter();
    const { store, dispatcher, append, stagesOf } = dispatcherWith({ adapters: { memory } });
    dispatcher.start();
    await append(recordFor("memory", "e1"));
    await vi.waitFor(() => expect(store.stats().size).toBe(0));
    expect(memory.events().map((s) => s.event.attributes.id)).toEqual(["e1"]);
    expect(memory.events()[0]?.event.data?.text()).toBe('{"id":"e1"}');
    expect(dispatcher.stats()).toMatchObject({ delivered: 1, rescheduled: 0, inFlight: 0 });
    expect(stagesOf("delivered")).toMatchObject([{ target: "memory", eventId: "e1", attempts: 1 }]);
    await dispatcher.stop(100);
  });

  it("retries after the backoff, honours Retry-After, then completes once acked", async () => {
    const at: number[] = [];
    const flaky = answering(retriable("down"), retriable("slow down", 150), acked());
    const timed = {
      ...flaky,
      publish: (m: readonly OutboundMessage[], o: Parameters<Adapter["publish"]>[1]) => {
        at.push(Date.now());
        return flaky.publish(m, o);
      },
    };
    const retry = { maxAttempts: 5, initialDelayMs: 40, maxDelayMs: 1_000, jitter: "none" };
    const { store, dispatcher, append, stagesOf } = dispatcherWith({
      adapters: { flaky: timed },
      targets: { flaky: { type: "scripted", retry } },
    });
    dispatcher.start();
    await append(recordFor("flaky", "e1"));
    await vi.waitFor(() => expect(store.stats().size).toBe(0), { timeout: 3_000 });
    expect(at).toHaveLength(3);
    expect((at[1] as number) - (at[0] as number)).toBeGreaterThanOrEqual(40);
    expect((at[2] as number) - (at[1] as number)).toBeGreaterThanOrEqual(150);
    expect(stagesOf("delivered").map((r) => [r.outcome.status, r.attempts])).toEqual([
      ["retriable", 1],
      ["retriable", 2],
      ["acked", 3],
    ]);
    expect(dispatcher.stats()).toMatchObject({ delivered: 1, rescheduled: 2 });
    await dispatcher.stop(100);
  });

  it("keeps a record whose attempts are used up and that has no dead letter, tried every maxDelayMs", async () => {
    const down = answering(retriable("down"));
    const retry = { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 60, jitter: "none" };
    const { store, dispatcher, append } = dispatcherWith({
      adapters: { down },
      targets: { down: { type: "scripted", retry } },
    });
    dispatcher.start();
    await append(recordFor("down", "e1"));
    await vi.waitFor(() => expect(down.calls.length).toBeGreaterThanOrEqual(3), { timeout: 3_000 });
    await dispatcher.stop(100);
    const [kept] = await leftIn(store);
    expect(kept).toMatchObject({ attempts: down.calls.length, lastError: "down" });
    expect((kept as OutboxRecord).notBefore - (kept as OutboxRecord).lastAttemptAt!).toBeGreaterThanOrEqual(
      60,
    );
  });
});

describe("outbox dispatcher: refusals and dead letters", () => {
  it("sends what a target refuses for good to the record's dead letter, then completes it", async () => {
    const dl = createMemoryAdapter();
    const flaky = answering(terminal("field x is missing", 400));
    const { store, dispatcher, append, stagesOf } = dispatcherWith({ adapters: { flaky, dl } });
    dispatcher.start();
    await append(recordFor("flaky", "e1", { deadLetter: "dl" }));
    await vi.waitFor(() => expect(store.stats().size).toBe(0));
    const [letter] = dl.events();
    expect(letter?.event.attributes.id).toBe("e1");
    expect(Object.fromEntries(letter?.event.extensions ?? [])).toMatchObject({
      deadlettertarget: "flaky",
      deadletterattempts: 1,
      deadletterstatus: "400",
      deadlettererror: "field x is missing",
    });
    expect(stagesOf("dead-lettered")).toMatchObject([
      { target: "flaky", eventId: "e1", deadLetter: { target: "dl", outcome: { status: "acked" } } },
    ]);
    expect(dispatcher.stats()).toMatchObject({ deadLettered: 1, delivered: 0 });
    await dispatcher.stop(100);
  });

  it("sends a record whose attempts are used up to its dead letter, saying its last status was retriable", async () => {
    const dl = createMemoryAdapter();
    const down = answering(retriable("still down"));
    const retry = { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1, jitter: "none" };
    const { store, dispatcher, append } = dispatcherWith({
      adapters: { down, dl },
      targets: { down: { type: "scripted", retry } },
    });
    dispatcher.start();
    await append(recordFor("down", "e1", { deadLetter: "dl" }));
    await vi.waitFor(() => expect(store.stats().size).toBe(0));
    expect(down.calls).toHaveLength(2);
    expect(Object.fromEntries(dl.events()[0]?.event.extensions ?? [])).toMatchObject({
      deadlettertarget: "down",
      deadletterattempts: 2,
      deadletterstatus: "retriable",
      deadlettererror: "still down",
    });
    await dispatcher.stop(100);
  });

  it("reports a refusal with no dead letter as refused, and completes the record", async () => {
    const flaky = answering(terminal("no such topic", 404));
    const { store, dispatcher, append, stagesOf } = dispatcherWith({ adapters: { flaky } });
    dispatcher.start();
    await append(recordFor("flaky", "e1"));
    await vi.waitFor(() => expect(store.stats().size).toBe(0));
    expect(stagesOf("outbox-refused")).toMatchObject([
      { target: "flaky", eventId: "e1", attempts: 1, outcome: { status: "terminal", targetStatus: 404 } },
    ]);
    expect(dispatcher.stats()).toMatchObject({ dropped: 1 });
    await dispatcher.stop(100);
  });

  it("logs a record removed without reaching its target at warn, with its record id", async () => {
    const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
    const capture = (level: string) => (fields: object, message: string) =>
      lines.push({ level, fields: fields as Record<string, unknown>, message });
    const log = logObserver({ debug: capture("debug"), info: capture("info"), warn: capture("warn") });
    const flaky = answering(terminal("no such topic", 404));
    const { store, dispatcher, append, reports } = dispatcherWith({ adapters: { flaky } });
    dispatcher.start();
    await append(recordFor("flaky", "e1"));
    await vi.waitFor(() => expect(store.stats().size).toBe(0));
    await dispatcher.stop(100);
    for (const report of reports) log.report(report);
    const warned = lines.filter((line) => line.level === "warn");
    expect(warned).toMatchObject([
      {
        message: expect.stringMatching(/removed from the outbox/),
        fields: { target: "flaky", id: "e1", targetStatus: 404, reason: "no such topic", attempts: 1 },
      },
    ]);
    expect(warned[0]?.fields.record).toMatch(/^\d+$/);
  });

  it("keeps the record while its dead letter is down, and dead-letters it once the dead letter is back", async () => {
    const state = { dl: retriable("dead letter down") as PublishOutcome };
    const dl = scriptedAdapter(() => state.dl);
    const flaky = answering(terminal("bad", 400));
    const { store, dispatcher, append } = dispatcherWith({ adapters: { flaky, dl } });
    dispatcher.start();
    await append(recordFor("flaky", "e1", { deadLetter: "dl" }));
    await vi.waitFor(() => expect(dl.calls.length).toBeGreaterThanOrEqual(2));
    expect(store.stats().get("flaky")?.depth).toBe(1);
    state.dl = acked();
    await vi.waitFor(() => expect(store.stats().size).toBe(0));
    const last = dl.calls.at(-1)?.messages[0];
    expect(last?.event.attributes.id).toBe("e1");
    expect(last?.event.extensions.get("deadlettertarget")).toBe("flaky");
    expect(dispatcher.stats()).toMatchObject({ deadLettered: 1, dropped: 0 });
    await dispatcher.stop(100);
  });

  it("completes a record whose bytes do not decode, reporting it, so the rest of its key goes on", async () => {
    const memory = createMemoryAdapter();
    const { store, dispatcher, append, stagesOf } = dispatcherWith({ adapters: { memory } });
    await append(
      { ...recordFor("memory", "bad", { orderingKey: "k" }), event: new TextEncoder().encode("{not json") },
      recordFor("memory", "e2", { orderingKey: "k" }),
    );
    dispatcher.start();
    await vi.waitFor(() => expect(store.stats().size).toBe(0));
    expect(stagesOf("outbox-undecodable")).toMatchObject([{ target: "memory", reason: /does not decode/ }]);
    expect(memory.events().map((s) => s.event.attributes.id)).toEqual(["e2"]);
    await dispatcher.stop(100);
  });
});

describe("outbox dispatcher: order and guards", () => {
  it("delivers one key's events in append order across retries, while another key proceeds", async () => {
    const tried: string[] = [];
    const acks: string[] = [];
    let a1Failures = 2;
    const ordered = scriptedAdapter((message) => {
      const id = idOf(message);
      tried.push(id);
      if (id === "a1" && a1Failures-- > 0) return retriable("not yet");
      acks.push(id);
      return acked();
    });
    const retry = { maxAttempts: 5, initialDelayMs: 30, maxDelayMs: 30, jitter: "none" };
    const { store, dispatcher, append } = dispatcherWith({
      adapters: { ordered },
      targets: { ordered: { type: "scripted", retry } },
    });
    await append(
      recordFor("ordered", "a1", { orderingKey: "A" }),
      recordFor("ordered", "a2", { orderingKey: "A" }),
      recordFor("ordered", "b1", { orderingKey: "B" }),
      recordFor("ordered", "a3", { orderingKey: "A" }),
      recordFor("ordered", "b2", { orderingKey: "B" }),
    );
    dispatcher.start();
    await vi.waitFor(() => expect(store.stats().size).toBe(0), { timeout: 3_000 });
    expect(acks.filter((id) => id.startsWith("a"))).toEqual(["a1", "a2", "a3"]);
    // a2 was never tried before a1 was taken; key B did not wait for key A's retries.
    expect(tried.indexOf("a2")).toBeGreaterThan(tried.lastIndexOf("a1"));
    expect(acks.indexOf("b2")).toBeLessThan(acks.indexOf("a1"));
    expect(tried.filter((id) => id === "a1")).toHaveLength(3);
    await dispatcher.stop(100);
  });

  it("counts no attempt while the target's circuit is open, and comes back when it may close", async () => {
    const clock = new ManualClock();
    const failing = answering(retriable("down"));
    const { store, dispatcher, append, stagesOf } = dispatcherWith({
      adapters: { failing },
      targets: {
        failing: {
          type: "scripted",
          retry: { maxAttempts: 5, initialDelayMs: 10, maxDelayMs: 10, jitter: "none" },
          circuitBreaker: { failureThreshold: 1, coolDownMs: 60_000 },
        },
      },
      clock,
    });
    dispatcher.start();
    await append(recordFor("failing", "e1"));
    await vi.waitFor(() => expect(stagesOf("delivered")).toHaveLength(1));
    clock.advance(1_000);
    await vi.waitFor(() => expect(stagesOf("delivered")).toHaveLength(2));
    await dispatcher.stop(100);
    expect(failing.calls).toHaveLength(1);
    expect(stagesOf("delivered")[1]).toMatchObject({ attempts: 1, outcome: { reason: /circuit is open/ } });
    const [kept] = await leftIn(store);
    expect(kept).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/circuit is open/) });
    // Due when the breaker lets a probe through: 60 s after it opened.
    expect((kept as OutboxRecord).notBefore - (clock.now() - 1_000)).toBe(60_000);
  });
});

describe("outbox dispatcher: when it looks, and how much at once", () => {
  it("looks at the store when kicked, not only at its poll", async () => {
    const memory = createMemoryAdapter();
    const { store, dispatcher } = dispatcherWith({ adapters: { memory }, pollMs: 60_000 });
    dispatcher.start();
    await store.append([recordFor("memory", "e1")]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(memory.events()).toHaveLength(0);
    dispatcher.kick();
    await vi.waitFor(() => expect(memory.events()).toHaveLength(1));
    await dispatcher.stop(100);
  });

  it("keeps at most maxConcurrent records in flight, and takes the rest as slots free up", async () => {
    let inFlight = 0;
    let most = 0;
    const slow = scriptedAdapter(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      return acked();
    });
    const { store, dispatcher, append } = dispatcherWith({ adapters: { slow }, maxConcurrent: 2 });
    dispatcher.start();
    await append(...["e1", "e2", "e3", "e4", "e5"].map((id) => recordFor("slow", id)));
    await vi.waitFor(() => expect(store.stats().size).toBe(0));
    expect(most).toBe(2);
    expect(dispatcher.stats()).toMatchObject({ delivered: 5, inFlight: 0 });
    await dispatcher.stop(100);
  });
});

describe("outbox dispatcher: stopping", () => {
  it("lets attempts in flight finish within the grace, and claims nothing after", async () => {
    const slow = scriptedAdapter(async () => {
      await new Promise((resolve) => setTimeout(resolve, 80));
      return acked();
    });
    const { store, dispatcher, append } = dispatcherWith({ adapters: { slow } });
    dispatcher.start();
    await append(recordFor("slow", "e1"));
    await vi.waitFor(() => expect(slow.calls).toHaveLength(1));
    await dispatcher.stop(2_000);
    expect(dispatcher.stats()).toMatchObject({ state: "stopped", inFlight: 0, delivered: 1 });
    expect(store.stats().size).toBe(0);
    await append(recordFor("slow", "e2"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(slow.calls).toHaveLength(1);
  });

  it("cuts attempts short when the grace runs out, keeping their records without counting the attempt", async () => {
    const never = scriptedAdapter(
      (_, options) =>
        new Promise((resolve) => options.signal.addEventListener("abort", () => resolve(retriable("cut")))),
    );
    const { store, dispatcher, append } = dispatcherWith({ adapters: { never } });
    dispatcher.start();
    await append(recordFor("never", "e1"));
    await vi.waitFor(() => expect(never.calls).toHaveLength(1));
    const started = Date.now();
    await dispatcher.stop(60);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(Date.now() - started).toBeLessThan(1_000);
    const [kept] = await leftIn(store);
    expect(kept).toMatchObject({ attempts: 0, lastError: DISPATCH_STOPPED });
  });
});
