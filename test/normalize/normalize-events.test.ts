/**
 * normalizeEvents keeps its failures bounded: it stops checking a batch once
 * the listed failures are full, instead of building every failure and slicing.
 */
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../src/errors/errors.js";
import { MAX_LISTED_FAILURES } from "../../src/errors/failure-list.js";
import type { RawEvent } from "../../src/event/raw-event.js";
import { normalizeEvents } from "../../src/normalize/normalize-event.js";

/** Raw events with no attributes (four missing-attribute failures each), counting which ones were looked at. */
function emptyEvents(count: number) {
  const looked = new Set<number>();
  const raws = Array.from({ length: count }, (_, index): RawEvent => {
    const raw = { index, pointerPrefix: `/${index}`, data: undefined, encoded: undefined, failures: [] };
    return Object.defineProperty(raw, "attributes", {
      get: () => {
        looked.add(index);
        return [];
      },
    }) as unknown as RawEvent;
  });
  return { raws, looked };
}

function refusal(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("normalizeEvents", () => {
  it("stops looking at events once 100 failures are kept", () => {
    const { raws, looked } = emptyEvents(10_000);
    const error = refusal(() => normalizeEvents(raws));
    expect(error.failures).toHaveLength(MAX_LISTED_FAILURES);
    // Four failures per event: the 25th fills the list, and no event after it is looked at.
    expect([...looked].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(error.failuresIncomplete).toBe(true);
    expect(error.message).toContain("9975 event(s) were not checked");
  });

  it("checks every event and counts every failure when the list does not fill", () => {
    const { raws, looked } = emptyEvents(20);
    const error = refusal(() => normalizeEvents(raws));
    expect(looked.size).toBe(20);
    expect(error.failures).toHaveLength(80);
    expect(error.failuresOmitted).toBe(0);
    expect(error.failuresIncomplete).toBe(false);
    expect(error.message).toBe("20 of 20 event(s) are not valid CloudEvents 1.0");
  });

  it("counts failures beyond the list within the event that fills it", () => {
    const { raws } = emptyEvents(26);
    const error = refusal(() => normalizeEvents(raws.slice(0, 25)));
    expect(error.failures).toHaveLength(100);
    expect(error.failuresIncomplete).toBe(false);
    const duplicates: RawEvent = {
      index: 0,
      pointerPrefix: "",
      attributes: [],
      data: undefined,
      encoded: undefined,
      failures: Array.from({ length: 100 }, () => ({
        index: 0,
        pointer: "/a",
        code: "duplicate-member",
        detail: "",
      })),
      failuresOmitted: 5_000,
    };
    const many = refusal(() => normalizeEvents([duplicates]));
    expect(many.failures).toHaveLength(100);
    // 5,000 counted by the decoder, and the four missing attributes found after the list was full.
    expect(many.failuresOmitted).toBe(5_004);
  });
});
