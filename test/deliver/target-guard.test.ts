/**
 * The target guard: the bound on deliveries in flight to one target, its
 * circuit breaker, the counts /status shows, and a reload that re-reads the
 * limits without forgetting the state.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BUSY_RETRY_AFTER_MS,
  type GuardPolicy,
  isRefusal,
  type Permit,
  type Refusal,
  TargetGuard,
  TargetGuards,
} from "../../src/deliver/target-guard.js";
import { ManualClock } from "../support/manual-clock.js";

const BREAKER = { failureThreshold: 2, coolDownMs: 5_000 };

function guardOf(policy: GuardPolicy): { guard: TargetGuard; clock: ManualClock } {
  const clock = new ManualClock();
  const guard = new TargetGuard("orders", clock);
  guard.configure(policy);
  return { guard, clock };
}

function permit(guard: TargetGuard, count = 1): Permit {
  const result = guard.acquire(count);
  if (isRefusal(result)) throw new Error(`refused: ${result.reason}`);
  return result;
}

function refused(guard: TargetGuard, count = 1): Refusal {
  const result = guard.acquire(count);
  if (!isRefusal(result)) throw new Error("expected a refusal, got a permit");
  return result;
}

/** Opens the guard's circuit with failed attempts. */
function openCircuit(guard: TargetGuard): void {
  for (let i = 0; i < BREAKER.failureThreshold; i++) permit(guard).failed();
  expect(guard.status().circuit).toBe("open");
}

describe("TargetGuard", () => {
  it("lets everything through and reports no circuit without a policy", () => {
    const { guard } = guardOf({});
    const permits = Array.from({ length: 50 }, () => permit(guard, 3));
    expect(guard.status()).toEqual({
      circuit: "none",
      inFlight: 150,
      maxInFlight: null,
      consecutiveFailures: 0,
      failures: 0,
      shed: 0,
      circuitOpened: 0,
    });
    for (const p of permits) p.failed();
    expect(guard.status()).toMatchObject({
      circuit: "none",
      inFlight: 0,
      failures: 50,
      consecutiveFailures: 0,
    });
  });

  it("refuses beyond maxInFlight with the busy wait, and admits again once one settles", () => {
    const { guard } = guardOf({ maxInFlight: 2 });
    const first = permit(guard);
    permit(guard);
    const refusal = refused(guard);
    expect(refusal.retryAfterMs).toBe(BUSY_RETRY_AFTER_MS);
    expect(refusal.reason).toContain('"orders"');
    expect(refusal.reason).toContain("maxInFlight 2");
    expect(guard.status()).toMatchObject({ inFlight: 2, maxInFlight: 2, shed: 1 });
    first.answered();
    expect(guard.status().inFlight).toBe(1);
    permit(guard);
    expect(guard.status()).toMatchObject({ inFlight: 2, shed: 1 });
  });

  it("counts a batch as its events against maxInFlight", () => {
    const { guard } = guardOf({ maxInFlight: 5 });
    permit(guard, 3);
    refused(guard, 3);
    permit(guard, 2);
    expect(guard.status().inFlight).toBe(5);
    refused(guard, 1);
    expect(guard.status().shed).toBe(2);
  });

  it("lets a batch larger than maxInFlight go when nothing else is in flight, and only then", () => {
    const { guard } = guardOf({ maxInFlight: 2 });
    const big = permit(guard, 10);
    expect(guard.status().inFlight).toBe(10);
    refused(guard, 1);
    big.answered();
    const small = permit(guard, 1);
    refused(guard, 10);
    small.answered();
    permit(guard, 10);
  });

  it("settles a permit once: a second settle of any kind changes nothing", () => {
    const { guard } = guardOf({ maxInFlight: 10, breaker: BREAKER });
    const held = permit(guard, 4);
    permit(guard, 1);
    held.failed();
    held.failed();
    held.answered();
    held.abandoned();
    expect(guard.status()).toMatchObject({
      inFlight: 1,
      failures: 1,
      consecutiveFailures: 1,
      circuit: "closed",
    });

    const answered = permit(guard, 2);
    answered.answered();
    answered.failed();
    answered.failed();
    expect(guard.status()).toMatchObject({
      inFlight: 1,
      failures: 1,
      consecutiveFailures: 0,
      circuit: "closed",
    });

    const abandoned = permit(guard, 2);
    abandoned.abandoned();
    abandoned.failed();
    expect(guard.status()).toMatchObject({ inFlight: 1, failures: 1, consecutiveFailures: 0 });
  });

  it("opens the circuit after consecutive failures and counts the opening", () => {
    const { guard } = guardOf({ breaker: BREAKER });
    permit(guard).failed();
    expect(guard.status()).toMatchObject({ circuit: "closed", consecutiveFailures: 1, failures: 1 });
    permit(guard).failed();
    expect(guard.status()).toMatchObject({
      circuit: "open",
      consecutiveFailures: 2,
      failures: 2,
      circuitOpened: 1,
      shed: 0,
    });
  });

  it("counts a terminal answer as the target being up: it resets the failures", () => {
    const { guard } = guardOf({ breaker: BREAKER });
    permit(guard).failed();
    permit(guard).answered();
    permit(guard).failed();
    expect(guard.status()).toMatchObject({ circuit: "closed", consecutiveFailures: 1, failures: 2 });
  });

  it("sheds attempts while the circuit is open, with the rest of the cool-down as the wait", () => {
    const { guard, clock } = guardOf({ breaker: BREAKER });
    openCircuit(guard);
    clock.advance(1_500);
    const refusal = refused(guard);
    expect(refusal.retryAfterMs).toBe(3_500);
    expect(refusal.reason).toContain('"orders"');
    expect(refusal.reason).toContain("circuit is open");
    refused(guard);
    expect(guard.status()).toMatchObject({ shed: 2, inFlight: 0, failures: 2 });
  });

  it("after the cool-down, lets one probe through; its answer closes the circuit", () => {
    const { guard, clock } = guardOf({ breaker: BREAKER });
    openCircuit(guard);
    clock.advance(BREAKER.coolDownMs);
    expect(guard.status().circuit).toBe("half-open");
    const probe = permit(guard);
    refused(guard);
    expect(guard.status()).toMatchObject({ inFlight: 1, shed: 1 });
    probe.answered();
    expect(guard.status()).toMatchObject({ circuit: "closed", consecutiveFailures: 0, inFlight: 0 });
    permit(guard);
    permit(guard);
  });

  it("reopens when the probe fails, and frees the probe slot when it is abandoned", () => {
    const { guard, clock } = guardOf({ breaker: BREAKER });
    openCircuit(guard);
    clock.advance(BREAKER.coolDownMs);
    permit(guard).abandoned();
    expect(guard.status()).toMatchObject({ circuit: "half-open", circuitOpened: 1 });
    permit(guard).failed();
    expect(guard.status()).toMatchObject({ circuit: "open", circuitOpened: 2, failures: 3 });
    expect(refused(guard).retryAfterMs).toBe(BREAKER.coolDownMs);
  });

  it("refuses for being busy before asking the breaker, so a busy refusal never takes the probe slot", () => {
    const { guard, clock } = guardOf({ maxInFlight: 1, breaker: { failureThreshold: 1, coolDownMs: 1_000 } });
    const slow = permit(guard);
    // The circuit opens on another attempt while `slow` is still out (a reload raised the bound meanwhile).
    guard.configure({ maxInFlight: 2, breaker: { failureThreshold: 1, coolDownMs: 1_000 } });
    permit(guard).failed();
    guard.configure({ maxInFlight: 1, breaker: { failureThreshold: 1, coolDownMs: 1_000 } });
    clock.advance(1_000);
    expect(guard.status().circuit).toBe("half-open");
    expect(refused(guard).retryAfterMs).toBe(BUSY_RETRY_AFTER_MS);
    slow.abandoned();
    permit(guard).answered();
    expect(guard.status()).toMatchObject({ circuit: "closed", shed: 1, inFlight: 0 });
  });

  it("keeps inFlight equal to the events of unsettled permits and within the bound (property)", () => {
    type Step = { kind: "acquire"; count: number } | { kind: "settle"; pick: number; how: keyof Permit };
    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant("acquire" as const), count: fc.integer({ min: 1, max: 6 }) }),
      fc.record({
        kind: fc.constant("settle" as const),
        pick: fc.nat(),
        how: fc.constantFrom("answered" as const, "failed" as const, "abandoned" as const),
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(stepArb, { maxLength: 60, size: "max" }),
        (max, steps) => {
          const { guard } = guardOf({ maxInFlight: max });
          const open: { permit: Permit; count: number }[] = [];
          let refusals = 0;
          let failures = 0;
          for (const step of steps) {
            if (step.kind === "acquire") {
              const inFlight = guard.status().inFlight;
              const result = guard.acquire(step.count);
              const fits = inFlight === 0 || inFlight + step.count <= max;
              expect(isRefusal(result)).toBe(!fits);
              if (isRefusal(result)) refusals += 1;
              else open.push({ permit: result, count: step.count });
            } else if (open.length > 0) {
              const [settled] = open.splice(step.pick % open.length, 1);
              settled?.permit[step.how]();
              settled?.permit[step.how]();
              if (step.how === "failed") failures += 1;
            }
            const status = guard.status();
            expect(status.inFlight).toBe(open.reduce((sum, p) => sum + p.count, 0));
            expect(status.inFlight <= max || open.length === 1).toBe(true);
            expect(status.shed).toBe(refusals);
            expect(status.failures).toBe(failures);
          }
        },
      ),
    );
  });
});

describe("isRefusal", () => {
  it("tells a refusal from a permit", () => {
    const { guard } = guardOf({ maxInFlight: 1 });
    expect(isRefusal(guard.acquire(1))).toBe(false);
    expect(isRefusal(guard.acquire(1))).toBe(true);
  });
});

describe("TargetGuards", () => {
  const policies = (entries: [string, GuardPolicy][]) => new Map(entries);

  it("hands out one guard per target for the gateway's lifetime", () => {
    const guards = new TargetGuards(new ManualClock());
    expect(guards.get("a")).toBe(guards.get("a"));
    expect(guards.get("a")).not.toBe(guards.get("b"));
    expect(guards.get("a").target).toBe("a");
    expect(guards.status("unknown")).toMatchObject({ circuit: "none", inFlight: 0, maxInFlight: null });
  });

  it("applies each target's policy from a config", () => {
    const guards = new TargetGuards(new ManualClock());
    guards.configure(
      policies([
        ["a", { maxInFlight: 1 }],
        ["b", { breaker: BREAKER }],
      ]),
    );
    expect(guards.status("a")).toMatchObject({ maxInFlight: 1, circuit: "none" });
    expect(guards.status("b")).toMatchObject({ maxInFlight: null, circuit: "closed" });
    permit(guards.get("a"));
    refused(guards.get("a"));
  });

  it("keeps an open circuit open, and the counts, across a reload that changes the limits", () => {
    const clock = new ManualClock();
    const guards = new TargetGuards(clock);
    guards.configure(policies([["orders", { maxInFlight: 4, breaker: BREAKER }]]));
    const orders = guards.get("orders");
    const held = permit(orders, 2);
    openCircuit(orders);
    refused(orders);
    clock.advance(1_000);

    guards.configure(
      policies([["orders", { maxInFlight: 8, breaker: { failureThreshold: 9, coolDownMs: 6_000 } }]]),
    );
    expect(guards.get("orders")).toBe(orders);
    expect(guards.status("orders")).toEqual({
      circuit: "open",
      inFlight: 2,
      maxInFlight: 8,
      consecutiveFailures: BREAKER.failureThreshold,
      failures: BREAKER.failureThreshold,
      shed: 1,
      circuitOpened: 1,
    });
    // The new cool-down counts from when the circuit opened.
    expect(refused(orders).retryAfterMs).toBe(5_000);
    held.answered();
    expect(guards.status("orders").inFlight).toBe(0);
  });

  it("reports no circuit, and sheds nothing, once a reload removes the breaker", () => {
    const guards = new TargetGuards(new ManualClock());
    guards.configure(policies([["orders", { breaker: BREAKER }]]));
    openCircuit(guards.get("orders"));
    guards.configure(policies([["orders", {}]]));
    expect(guards.status("orders")).toMatchObject({
      circuit: "none",
      consecutiveFailures: 0,
      circuitOpened: 0,
    });
    permit(guards.get("orders")).failed();
    expect(guards.status("orders")).toMatchObject({ circuit: "none", failures: 3 });
  });

  it("starts a breaker added back by a later reload closed, unmoved by attempts the old one let through", () => {
    const clock = new ManualClock();
    const guards = new TargetGuards(clock);
    guards.configure(policies([["orders", { breaker: BREAKER }]]));
    const orders = guards.get("orders");
    openCircuit(orders);
    clock.advance(BREAKER.coolDownMs);
    const probe = permit(orders);
    guards.configure(policies([["orders", {}]]));
    guards.configure(policies([["orders", { breaker: BREAKER }]]));
    expect(guards.status("orders").circuit).toBe("closed");
    // The old breaker's probe fails late: the new breaker never sent it, so one failure must not open it.
    probe.failed();
    expect(guards.status("orders")).toMatchObject({ circuit: "closed", circuitOpened: 0, inFlight: 0 });
    permit(orders);
  });
});
