/**
 * The delivery policy: what a `retry:` block means, the strictest-policy rule
 * for several routes sending one event to one target, and the capped,
 * fully jittered backoff between attempts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  backoffDelayMs,
  NO_RETRY,
  RETRY_DEFAULTS,
  type RetryPolicy,
  type RoutePolicy,
  retryPolicyOf,
  strictestPolicy,
} from "../../src/deliver/delivery-policy.js";

const policy = (fields: Partial<RetryPolicy>): RetryPolicy => ({ ...RETRY_DEFAULTS, ...fields });

/** A random source that hands out `values` in turn, and counts its calls. */
function scripted(...values: number[]): { random: () => number; calls: () => number } {
  let next = 0;
  return {
    random: () => {
      const value = values[next % values.length];
      next += 1;
      if (value === undefined) throw new Error("scripted random has no values");
      return value;
    },
    calls: () => next,
  };
}

const retryPolicyArb: fc.Arbitrary<RetryPolicy> = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 10 }),
  initialDelayMs: fc.integer({ min: 0, max: 10_000 }),
  maxDelayMs: fc.integer({ min: 0, max: 120_000 }),
  jitter: fc.constantFrom("full" as const, "none" as const),
});

/** What Math.random may return: [0, 1). */
const unitArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe("retryPolicyOf", () => {
  it("means no retry when the config has no retry block", () => {
    const retry = retryPolicyOf(undefined);
    expect(retry).toEqual(NO_RETRY);
    expect(retry.maxAttempts).toBe(1);
  });

  it("fills an empty retry block with the defaults", () => {
    expect(retryPolicyOf({})).toEqual(RETRY_DEFAULTS);
    expect(RETRY_DEFAULTS.maxAttempts).toBeGreaterThan(1);
  });

  it("keeps every field the block sets and takes the default for the others", () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            maxAttempts: fc.integer({ min: 1, max: 20 }),
            initialDelayMs: fc.integer({ min: 0, max: 60_000 }),
            maxDelayMs: fc.integer({ min: 0, max: 600_000 }),
            jitter: fc.constantFrom("full" as const, "none" as const),
          },
          { requiredKeys: [] },
        ),
        (config) => {
          const retry = retryPolicyOf(config);
          for (const key of ["maxAttempts", "initialDelayMs", "maxDelayMs", "jitter"] as const) {
            expect(retry[key]).toBe(key in config ? config[key] : RETRY_DEFAULTS[key]);
          }
        },
      ),
    );
  });

  it("takes the default for a field present but undefined", () => {
    const retry = retryPolicyOf({ maxAttempts: 5, initialDelayMs: undefined, jitter: undefined });
    expect(retry).toEqual({ ...RETRY_DEFAULTS, maxAttempts: 5 });
  });

  it("does not share or change the defaults", () => {
    const retry = retryPolicyOf({ maxAttempts: 9 });
    expect(retry).not.toBe(RETRY_DEFAULTS);
    expect(RETRY_DEFAULTS.maxAttempts).toBe(3);
    expect(Object.isFrozen(RETRY_DEFAULTS)).toBe(true);
    expect(Object.isFrozen(NO_RETRY)).toBe(true);
  });
});

describe("strictestPolicy", () => {
  const target = policy({ maxAttempts: 4, maxDelayMs: 1_000 });

  it("is the target's retry and no dead letter when no route asks anything", () => {
    expect(strictestPolicy(target, [])).toEqual({ retry: target, deadLetter: undefined });
    expect(strictestPolicy(target, [{}])).toEqual({ retry: target, deadLetter: undefined });
  });

  it("is the one route's own retry and dead letter", () => {
    const own = policy({ maxAttempts: 7 });
    const chosen = strictestPolicy(target, [{ retry: own, deadLetter: "dlq" }]);
    expect(chosen.retry).toBe(own);
    expect(chosen.deadLetter).toBe("dlq");
  });

  it("takes the retry with the fewest attempts, whatever its delays", () => {
    const patient = policy({ maxAttempts: 5, initialDelayMs: 1, maxDelayMs: 10 });
    const brief = policy({ maxAttempts: 2, initialDelayMs: 5_000, maxDelayMs: 60_000 });
    expect(strictestPolicy(target, [{ retry: patient }, { retry: brief }]).retry).toBe(brief);
    expect(strictestPolicy(target, [{ retry: brief }, { retry: patient }]).retry).toBe(brief);
  });

  it("breaks a tie on attempts with the smaller maxDelayMs", () => {
    const slow = policy({ maxAttempts: 3, maxDelayMs: 5_000, initialDelayMs: 10 });
    const quick = policy({ maxAttempts: 3, maxDelayMs: 500, initialDelayMs: 400 });
    expect(strictestPolicy(target, [{ retry: slow }, { retry: quick }]).retry).toBe(quick);
    expect(strictestPolicy(target, [{ retry: quick }, { retry: slow }]).retry).toBe(quick);
  });

  it("breaks a full tie with route order: the earlier route's policy, whole", () => {
    const first = policy({ maxAttempts: 3, maxDelayMs: 500, initialDelayMs: 10, jitter: "none" });
    const second = policy({ maxAttempts: 3, maxDelayMs: 500, initialDelayMs: 200, jitter: "full" });
    expect(strictestPolicy(target, [{ retry: first }, { retry: second }]).retry).toBe(first);
    expect(strictestPolicy(target, [{ retry: second }, { retry: first }]).retry).toBe(second);
  });

  it("counts the target's retry for a route that sets none", () => {
    const generous = policy({ maxAttempts: 10 });
    const strictTarget = policy({ maxAttempts: 2 });
    expect(strictestPolicy(strictTarget, [{ retry: generous }, {}]).retry).toBe(strictTarget);
    // The target's retry does not count when every route sets its own.
    expect(strictestPolicy(strictTarget, [{ retry: generous }]).retry).toBe(generous);
  });

  it("picks one whole candidate that no other candidate beats, the earliest among equals", () => {
    const routeArb: fc.Arbitrary<RoutePolicy> = fc.record({ retry: retryPolicyArb }, { requiredKeys: [] });
    fc.assert(
      fc.property(
        retryPolicyArb,
        fc.array(routeArb, { minLength: 1, maxLength: 6 }),
        (targetRetry, routes) => {
          const candidates = routes.map((r) => r.retry ?? targetRetry);
          const { retry } = strictestPolicy(targetRetry, routes);
          const index = candidates.indexOf(retry);
          expect(index).toBeGreaterThanOrEqual(0);
          for (const [i, other] of candidates.entries()) {
            expect(other.maxAttempts).toBeGreaterThanOrEqual(retry.maxAttempts);
            if (other.maxAttempts === retry.maxAttempts) {
              expect(other.maxDelayMs).toBeGreaterThanOrEqual(retry.maxDelayMs);
              if (other.maxDelayMs === retry.maxDelayMs) expect(i).toBeGreaterThanOrEqual(index);
            }
          }
        },
      ),
    );
  });

  it("keeps the dead letter only when every route names the same one", () => {
    const dl = (...names: (string | undefined)[]) =>
      strictestPolicy(
        target,
        names.map((deadLetter) => (deadLetter === undefined ? {} : { deadLetter })),
      ).deadLetter;
    expect(dl("dlq", "dlq", "dlq")).toBe("dlq");
    expect(dl("dlq", undefined)).toBeUndefined();
    expect(dl(undefined, "dlq")).toBeUndefined();
    expect(dl("dlq", "other")).toBeUndefined();
    expect(dl("dlq", "other", "dlq")).toBeUndefined();
    expect(dl("a", "b", "b")).toBeUndefined();
    expect(dl("dlq", "dlq", undefined)).toBeUndefined();
  });

  it("has a dead letter exactly when all routes agree on one (property)", () => {
    const nameArb = fc.option(fc.constantFrom("a", "b"), { nil: undefined });
    fc.assert(
      fc.property(fc.array(nameArb, { minLength: 1, maxLength: 6 }), (names) => {
        const routes = names.map(
          (deadLetter): RoutePolicy => (deadLetter === undefined ? {} : { deadLetter }),
        );
        const agreed = names.every((n) => n !== undefined && n === names[0]) ? names[0] : undefined;
        expect(strictestPolicy(target, routes).deadLetter).toBe(agreed);
      }),
    );
  });
});

describe("backoffDelayMs", () => {
  const steady = policy({ initialDelayMs: 100, maxDelayMs: 1_000, jitter: "none" });

  it("without jitter, waits the cap: initialDelayMs doubled per retry, up to maxDelayMs", () => {
    const waits = [1, 2, 3, 4, 5, 6].map((retry) => backoffDelayMs(steady, retry, undefined));
    expect(waits).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it("caps at maxDelayMs even on the first retry", () => {
    expect(
      backoffDelayMs(policy({ initialDelayMs: 500, maxDelayMs: 300, jitter: "none" }), 1, undefined),
    ).toBe(300);
  });

  it("without jitter, never draws a random number", () => {
    const source = scripted(0.5);
    backoffDelayMs(steady, 3, undefined, source.random);
    expect(source.calls()).toBe(0);
  });

  it("with full jitter, draws from 0 up to the cap inclusive", () => {
    const full = policy({ initialDelayMs: 100, maxDelayMs: 1_000, jitter: "full" });
    expect(backoffDelayMs(full, 3, undefined, () => 0)).toBe(0);
    expect(backoffDelayMs(full, 3, undefined, () => 0.5)).toBe(Math.floor(0.5 * 401));
    expect(backoffDelayMs(full, 3, undefined, () => 1 - Number.EPSILON)).toBe(400);
    expect(backoffDelayMs(full, 9, undefined, () => 1 - Number.EPSILON)).toBe(1_000);
  });

  it("with full jitter, hits every whole millisecond of [0, cap] equally often over an even spread", () => {
    const full = policy({ initialDelayMs: 10, maxDelayMs: 1_000, jitter: "full" });
    const cap = 20; // retry 2
    const draws = 100 * (cap + 1);
    const counts = new Map<number, number>();
    for (let i = 0; i < draws; i++) {
      const wait = backoffDelayMs(full, 2, undefined, () => i / draws);
      counts.set(wait, (counts.get(wait) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: cap + 1 }, (_, i) => i));
    for (const count of counts.values()) expect(count).toBe(100);
  });

  it("lets the target's Retry-After decide, above the cap or at zero, without drawing", () => {
    const source = scripted(0.5);
    const full = policy({ initialDelayMs: 100, maxDelayMs: 1_000, jitter: "full" });
    expect(backoffDelayMs(full, 1, 30_000, source.random)).toBe(30_000);
    expect(backoffDelayMs(full, 5, 0, source.random)).toBe(0);
    expect(backoffDelayMs(steady, 2, 7, source.random)).toBe(7);
    expect(source.calls()).toBe(0);
  });

  it("never waits a negative time, even when told to by a Retry-After", () => {
    expect(backoffDelayMs(steady, 1, -5_000)).toBe(0);
  });

  it("stays within [0, cap] and whole for any policy, retry and draw (property)", () => {
    fc.assert(
      fc.property(retryPolicyArb, fc.integer({ min: 1, max: 1_000 }), unitArb, (retry, n, r) => {
        const cap = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** (n - 1));
        const wait = backoffDelayMs(retry, n, undefined, () => r);
        expect(wait).toBeGreaterThanOrEqual(0);
        expect(wait).toBeLessThanOrEqual(cap);
        expect(Number.isInteger(wait)).toBe(true);
        if (retry.jitter === "none") expect(wait).toBe(cap);
      }),
    );
  });

  it("stays within [0, cap] for fractional delays too (property)", () => {
    // Small delays, where a cap between two whole milliseconds matters most.
    const fractional = fc.double({ min: 0, max: 8, noNaN: true });
    fc.assert(
      fc.property(fractional, fractional, fc.integer({ min: 1, max: 40 }), unitArb, (initial, max, n, r) => {
        const retry = policy({ initialDelayMs: initial, maxDelayMs: max, jitter: "full" });
        const cap = Math.min(max, initial * 2 ** (n - 1));
        const wait = backoffDelayMs(retry, n, undefined, () => r);
        expect(wait).toBeGreaterThanOrEqual(0);
        expect(wait).toBeLessThanOrEqual(cap);
      }),
      { examples: [[0.5, 10, 1, 0.99]] },
    );
  });

  it("grows without jitter as the retry count grows, never shrinking (property)", () => {
    fc.assert(
      fc.property(retryPolicyArb, fc.integer({ min: 1, max: 200 }), (retry, n) => {
        const none = { ...retry, jitter: "none" as const };
        expect(backoffDelayMs(none, n + 1, undefined)).toBeGreaterThanOrEqual(
          backoffDelayMs(none, n, undefined),
        );
      }),
    );
  });

  it("stays finite and at maxDelayMs for huge retry counts", () => {
    const big = policy({ initialDelayMs: 1, maxDelayMs: 600_000, jitter: "none" });
    for (const n of [1_024, 1_000_000, Number.MAX_SAFE_INTEGER, Number.POSITIVE_INFINITY]) {
      const wait = backoffDelayMs(big, n, undefined);
      expect(Number.isFinite(wait)).toBe(true);
      expect(wait).toBe(600_000);
      const jittered = backoffDelayMs({ ...big, jitter: "full" }, n, undefined, () => 1 - Number.EPSILON);
      expect(jittered).toBe(600_000);
    }
  });

  it("waits nothing when the policy has no delay at all", () => {
    expect(backoffDelayMs(NO_RETRY, 1, undefined, () => 0.99)).toBe(0);
    expect(backoffDelayMs(policy({ initialDelayMs: 0, maxDelayMs: 1_000 }), 12, undefined, () => 0.99)).toBe(
      0,
    );
  });
});
