/**
 * untilAborted: the caller stops waiting when its signal aborts; the work's
 * own failure never goes unhandled (that would end the process).
 */
import { describe, expect, it } from "vitest";
import { untilAborted } from "../../src/adapter/until-aborted.js";

describe("untilAborted", () => {
  it("gives the work's result, or its failure, while the signal stands", async () => {
    await expect(untilAborted(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
    await expect(untilAborted(Promise.reject(new Error("no")), new AbortController().signal)).rejects.toThrow(
      "no",
    );
  });

  it("stops waiting when the signal aborts, and the work failing later is handled", async () => {
    const controller = new AbortController();
    let fail: (error: Error) => void = () => {};
    const work = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const waiting = untilAborted(work, controller.signal);
    controller.abort(new Error("deadline"));
    await expect(waiting).rejects.toThrow("deadline");
    fail(new Error("late failure"));
    await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it("rejects at once for a signal already aborted, handling the work's failure", async () => {
    const aborted = AbortSignal.abort(new Error("gone"));
    await expect(untilAborted(Promise.reject(new Error("unwatched")), aborted)).rejects.toThrow("gone");
    // An unhandled rejection here would fail the run.
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
});
