/**
 * The circuit breaker, on a clock the test moves: it opens after
 * failureThreshold consecutive retriable failures, refuses while it cools
 * down, then lets one probe at a time decide whether it closes or opens again.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Admission, BREAKER_DEFAULTS, CircuitBreaker } from "../../src/deliver/circuit-breaker.js";
import { ManualClock } from "../support/manual-clock.js";

const POLICY = { failureThreshold: 3, coolDownMs: 10_000 };

function breakerOf(policy = POLICY): { breaker: CircuitBreaker; clock: ManualClock } {
  const clock = new ManualClock();
  return { breaker: new CircuitBreaker(policy, clock), clock };
}

/** Admits an attempt that must be allowed, and says whether it is the probe. */
function admitted(breaker: CircuitBreaker): boolean {
  const admission = breaker.admit();
  if (!admission.allowed) throw new Error(`refused for ${admission.retryAfterMs} ms`);
  return admission.probe;
}

function refusal(admission: Admission): number {
  if (admission.allowed) throw new Error("admitted");
  return admission.retryAfterMs;
}

/** `n` attempts admitted while closed, each failing. */
function failTimes(breaker: CircuitBreaker, n: number): void {
  for (let i = 0; i < n; i++) breaker.failed(admitted(breaker));
}

/** Opens the circuit and waits out its cool-down. */
function halfOpen(breaker: CircuitBreaker, clock: ManualClock): void {
  failTimes(breaker, POLICY.failureThreshold);
  clock.advance(POLICY.coolDownMs);
  expect(breaker.state).toBe("half-open");
}

describe("CircuitBreaker", () => {
  it("starts closed and lets attempts through, none of them a probe", () => {
    const { breaker } = breakerOf();
    expect(breaker.state).toBe("closed");
    expect(breaker.admit()).toEqual({ allowed: true, probe: false });
    expect(breaker.admit()).toEqual({ allowed: true, probe: false });
    expect(breaker.timesOpened).toBe(0);
    expect(BREAKER_DEFAULTS.failureThreshold).toBeGreaterThan(1);
  });

  it("stays closed below failureThreshold consecutive failures and opens at it", () => {
    const { breaker } = breakerOf();
    failTimes(breaker, POLICY.failureThreshold - 1);
    expect(breaker.state).toBe("closed");
    expect(breaker.consecutiveFailures).toBe(POLICY.failureThreshold - 1);
    expect(breaker.timesOpened).toBe(0);
    failTimes(breaker, 1);
    expect(breaker.state).toBe("open");
    expect(breaker.timesOpened).toBe(1);
  });

  it("opens on the first failure with a threshold of 1", () => {
    const { breaker } = breakerOf({ failureThreshold: 1, coolDownMs: 50 });
    failTimes(breaker, 1);
    expect(breaker.state).toBe("open");
  });

  it("forgets earlier failures after a success in between", () => {
    const { breaker } = breakerOf();
    failTimes(breaker, POLICY.failureThreshold - 1);
    breaker.succeeded(admitted(breaker));
    expect(breaker.consecutiveFailures).toBe(0);
    failTimes(breaker, POLICY.failureThreshold - 1);
    expect(breaker.state).toBe("closed");
    failTimes(breaker, 1);
    expect(breaker.state).toBe("open");
  });

  it("leaves the failure count alone when an attempt is abandoned", () => {
    const { breaker } = breakerOf();
    failTimes(breaker, POLICY.failureThreshold - 1);
    breaker.abandoned(admitted(breaker));
    expect(breaker.consecutiveFailures).toBe(POLICY.failureThreshold - 1);
    failTimes(breaker, 1);
    expect(breaker.state).toBe("open");
  });

  it("while open, refuses with what remains of the cool-down", () => {
    const { breaker, clock } = breakerOf();
    failTimes(breaker, POLICY.failureThreshold);
    expect(refusal(breaker.admit())).toBe(10_000);
    clock.advance(2_500);
    expect(refusal(breaker.admit())).toBe(7_500);
    clock.advance(7_499);
    expect(breaker.state).toBe("open");
    expect(refusal(breaker.admit())).toBe(1);
  });

  it("lets exactly one probe through once the cool-down has passed", () => {
    const { breaker, clock } = breakerOf();
    halfOpen(breaker, clock);
    expect(breaker.admit()).toEqual({ allowed: true, probe: true });
    for (let i = 0; i < 5; i++) {
      const wait = refusal(breaker.admit());
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(POLICY.coolDownMs);
    }
    clock.advance(60_000);
    expect(breaker.admit().allowed).toBe(false);
    expect(breaker.state).toBe("half-open");
  });

  it("closes when the probe succeeds", () => {
    const { breaker, clock } = breakerOf();
    halfOpen(breaker, clock);
    breaker.succeeded(admitted(breaker));
    expect(breaker.state).toBe("closed");
    expect(breaker.consecutiveFailures).toBe(0);
    expect(breaker.admit()).toEqual({ allowed: true, probe: false });
    expect(breaker.admit()).toEqual({ allowed: true, probe: false });
    // Closed again: it takes a full threshold of failures to open once more.
    failTimes(breaker, POLICY.failureThreshold - 1);
    expect(breaker.state).toBe("closed");
    expect(breaker.timesOpened).toBe(1);
  });

  it("opens again for a full cool-down when the probe fails", () => {
    const { breaker, clock } = breakerOf();
    halfOpen(breaker, clock);
    clock.advance(3_000); // the probe is let through late; the new cool-down counts from its failure
    const probe = admitted(breaker);
    expect(probe).toBe(true);
    clock.advance(400);
    breaker.failed(probe);
    expect(breaker.state).toBe("open");
    expect(breaker.timesOpened).toBe(2);
    expect(refusal(breaker.admit())).toBe(POLICY.coolDownMs);
    clock.advance(POLICY.coolDownMs - 1);
    expect(refusal(breaker.admit())).toBe(1);
    clock.advance(1);
    expect(breaker.admit()).toEqual({ allowed: true, probe: true });
  });

  it("frees the probe slot, and changes nothing else, when the probe is abandoned", () => {
    const { breaker, clock } = breakerOf();
    halfOpen(breaker, clock);
    const failures = breaker.consecutiveFailures;
    breaker.abandoned(admitted(breaker));
    expect(breaker.state).toBe("half-open");
    expect(breaker.consecutiveFailures).toBe(failures);
    expect(breaker.timesOpened).toBe(1);
    expect(breaker.admit()).toEqual({ allowed: true, probe: true });
    expect(breaker.admit().allowed).toBe(false);
  });

  it("does not reopen for a failure of an attempt let through before the circuit opened", () => {
    const { breaker, clock } = breakerOf();
    const late = admitted(breaker);
    failTimes(breaker, POLICY.failureThreshold);
    clock.advance(4_000);
    breaker.failed(late);
    expect(breaker.timesOpened).toBe(1);
    expect(refusal(breaker.admit())).toBe(6_000);
  });

  it("closes on an older attempt's answer while the probe is out, and then needs the full threshold to open", () => {
    const { breaker, clock } = breakerOf();
    const older = admitted(breaker);
    failTimes(breaker, POLICY.failureThreshold);
    clock.advance(POLICY.coolDownMs);
    const probe = admitted(breaker);
    expect(probe).toBe(true);
    breaker.succeeded(older);
    expect(breaker.state).toBe("closed");
    // The probe fails after all: one failure of a closed circuit, not a reason to open it.
    breaker.failed(probe);
    expect(breaker.state).toBe("closed");
    expect(breaker.consecutiveFailures).toBe(1);
    expect(breaker.timesOpened).toBe(1);
    failTimes(breaker, POLICY.failureThreshold - 1);
    expect(breaker.state).toBe("open");
    expect(breaker.timesOpened).toBe(2);
    // Its probe slot is free again for the next half-open.
    clock.advance(POLICY.coolDownMs);
    expect(breaker.admit()).toEqual({ allowed: true, probe: true });
  });

  it("counts every time it opens", () => {
    const { breaker, clock } = breakerOf();
    for (let round = 1; round <= 3; round++) {
      failTimes(breaker, POLICY.failureThreshold);
      expect(breaker.timesOpened).toBe(round);
      clock.advance(POLICY.coolDownMs);
      breaker.succeeded(admitted(breaker));
    }
    halfOpen(breaker, clock);
    breaker.failed(admitted(breaker));
    expect(breaker.timesOpened).toBe(5);
  });

  it("keeps its state when a reload changes the policy", () => {
    const { breaker, clock } = breakerOf();
    failTimes(breaker, POLICY.failureThreshold);
    clock.advance(1_000);
    breaker.policy = { failureThreshold: 10, coolDownMs: 30_000 };
    expect(breaker.state).toBe("open");
    expect(breaker.timesOpened).toBe(1);
    expect(breaker.consecutiveFailures).toBe(POLICY.failureThreshold);
    // The new cool-down counts from when the circuit opened.
    expect(refusal(breaker.admit())).toBe(29_000);
  });

  it("applies a changed threshold to the failures already counted", () => {
    const { breaker } = breakerOf();
    failTimes(breaker, 2);
    breaker.policy = { failureThreshold: 5, coolDownMs: 1_000 };
    failTimes(breaker, 2);
    expect(breaker.state).toBe("closed");
    failTimes(breaker, 1);
    expect(breaker.state).toBe("open");
  });

  it("turns half-open at once when a reload shortens the cool-down below the time waited", () => {
    const { breaker, clock } = breakerOf();
    failTimes(breaker, POLICY.failureThreshold);
    clock.advance(2_000);
    breaker.policy = { ...POLICY, coolDownMs: 1_000 };
    expect(breaker.state).toBe("half-open");
    expect(breaker.admit()).toEqual({ allowed: true, probe: true });
  });

  it("never has two probes out, refuses only while open or probing, and opens at the threshold (property)", () => {
    type Step =
      | { kind: "advance"; ms: number }
      | { kind: "admit" }
      | { kind: "settle"; pick: number; outcome: "succeeded" | "failed" | "abandoned" };
    // A short cool-down, and weights, so that runs often open the circuit, wait it out and send probes.
    const policy = { failureThreshold: 3, coolDownMs: 3_000 };
    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      {
        arbitrary: fc.record({
          kind: fc.constant("advance" as const),
          ms: fc.integer({ min: 0, max: 2_000 }),
        }),
        weight: 1,
      },
      { arbitrary: fc.record({ kind: fc.constant("admit" as const) }), weight: 2 },
      {
        arbitrary: fc.record({
          kind: fc.constant("settle" as const),
          pick: fc.nat(),
          outcome: fc.constantFrom(
            "failed" as const,
            "failed" as const,
            "succeeded" as const,
            "abandoned" as const,
          ),
        }),
        weight: 2,
      },
    );
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 80, size: "max" }), (steps) => {
        const { breaker, clock } = breakerOf(policy);
        const outstanding: boolean[] = [];
        let opened = 0;
        for (const step of steps) {
          const before = breaker.state;
          if (step.kind === "advance") clock.advance(step.ms);
          else if (step.kind === "admit") {
            const admission = breaker.admit();
            if (admission.allowed) {
              expect(before === "open").toBe(false);
              expect(admission.probe).toBe(before === "half-open");
              outstanding.push(admission.probe);
            } else {
              expect(before === "closed").toBe(false);
              expect(admission.retryAfterMs).toBeGreaterThan(0);
              expect(admission.retryAfterMs).toBeLessThanOrEqual(policy.coolDownMs);
            }
          } else if (outstanding.length > 0) {
            const [probe] = outstanding.splice(step.pick % outstanding.length, 1);
            breaker[step.outcome](probe === true);
            if (step.outcome === "succeeded") expect(breaker.state).toBe("closed");
            if (step.outcome === "failed" && probe === true && before !== "closed")
              expect(breaker.state).toBe("open");
            if (step.outcome === "failed" && before === "closed") {
              expect(breaker.state).toBe(
                breaker.consecutiveFailures >= policy.failureThreshold ? "open" : "closed",
              );
            }
          }
          expect(outstanding.filter((probe) => probe).length).toBeLessThanOrEqual(1);
          expect(breaker.timesOpened).toBeGreaterThanOrEqual(opened);
          opened = breaker.timesOpened;
        }
      }),
      { numRuns: 500 },
    );
  });
});
