/**
 * The shared deadline wheel the Node entry gives the delivery layer: one
 * timer for all pending attempt deadlines, each firing never early and at
 * most one resolution late, and cancelled ones never.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { deadlineWheel, perCallTimers } from "../../src/adapter/deadline-timers.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Node times a setTimeout from the event loop's cached clock, which may be a
 * fraction of a millisecond behind performance.now() when it is set: a timer
 * can fire up to that much "early" by the test's clock.
 */
const LOOP_CLOCK_SKEW_MS = 1;

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each([
  ["deadlineWheel", deadlineWheel()],
  ["perCallTimers", perCallTimers],
])("%s", (_, timers) => {
  it("fires after the delay, never early, and not once cancelled", async () => {
    const started = performance.now();
    const fired: number[] = [];
    const cancels = Array.from({ length: 200 }, (_, i) => timers.after(30, () => fired.push(i)));
    for (const cancel of cancels.slice(1)) cancel();
    await vi.waitFor(() => expect(fired).toEqual([0]));
    // The cancelled ones had the same deadline: had they fired, they would have by now.
    await sleep(20);
    expect(fired).toEqual([0]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(30 - LOOP_CLOCK_SKEW_MS);
  });

  it("fires in deadline order, also when an earlier one is armed after a later one", async () => {
    const fired: string[] = [];
    const at: Record<string, number> = {};
    const started = performance.now();
    const note = (name: string) => () => {
      fired.push(name);
      at[name] = performance.now() - started;
    };
    timers.after(60, note("late"));
    timers.after(15, note("early"));
    await vi.waitFor(() => expect(fired).toEqual(["early", "late"]));
    expect(at.early).toBeGreaterThanOrEqual(15 - LOOP_CLOCK_SKEW_MS);
    expect(at.late).toBeGreaterThanOrEqual(60 - LOOP_CLOCK_SKEW_MS);
  });
});

describe("deadlineWheel", () => {
  it("arms one timer for many deadlines in the same resolution bucket", async () => {
    const spy = vi.spyOn(globalThis, "setTimeout");
    let now = 1_000;
    const wheel = deadlineWheel(10, () => now);
    for (let i = 0; i < 500; i++) wheel.after(5_000, () => {});
    expect(spy).toHaveBeenCalledTimes(1);
    now += 3;
    for (let i = 0; i < 500; i++) wheel.after(5_000, () => {});
    // Later deadlines in another bucket do not re-arm: the timer waits for the earliest.
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("re-arms for the next bucket after firing", async () => {
    const fired: [number, number][] = [];
    const wheel = deadlineWheel(5);
    const started = performance.now();
    wheel.after(10, () => fired.push([1, performance.now() - started]));
    wheel.after(40, () => fired.push([2, performance.now() - started]));
    await vi.waitFor(() => expect(fired.map(([n]) => n)).toEqual([1, 2]));
    expect(fired[0]?.[1]).toBeGreaterThanOrEqual(10 - LOOP_CLOCK_SKEW_MS);
    expect(fired[1]?.[1]).toBeGreaterThanOrEqual(40 - LOOP_CLOCK_SKEW_MS);
  });
});
