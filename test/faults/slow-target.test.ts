/**
 * A slow target must not slow the others: two routes, one to a fast HTTP
 * receiver, one to a receiver that answers after 3 s behind a 500 ms target
 * timeout and a circuit breaker. The healthy route's p99 with traffic to the
 * slow one stays within twice its p99 alone; the slow route's circuit opens
 * and its requests then fail fast (503 with Retry-After), well under the
 * target timeout.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type ControllableReceiver, startControllableReceiver } from "../support/controllable-receiver.js";
import { type FaultGateway, startGateway, targetStatus } from "../support/fault-gateway.js";
import {
  closedLoad,
  openLoad,
  percentile,
  postEvent,
  reportCounts,
  type Sent,
  statusCounts,
} from "../support/load-driver.js";

const TARGET_TIMEOUT_MS = 500;
const SLOW_ANSWER_MS = 3_000;
/**
 * The healthy route is measured in a closed loop (a few producers, each
 * sending its next event once answered) for a fixed time: on a machine this
 * loaded, an open loop near the gateway's capacity measures its queue, and
 * the slow route's own traffic would then raise the healthy p99 by load alone.
 */
const HEALTHY_CONCURRENCY = 4;
/** Enough answers for a p99 that is not the noise of a handful. */
const HEALTHY_COUNT = 400;
const SLOW_RATE = 40;
const SLOW_MIN_MS = 2_000;
const TIMED_OUT = "did not answer within its timeout";
const CIRCUIT_OPEN = "its circuit is open";
/** An answer this fast did not wait for the target: a fifth of its timeout. */
const FAST_FAIL_MS = TARGET_TIMEOUT_MS / 5;
/**
 * Measurements, each on a fresh gateway, until one meets the latency bounds.
 * This 2-core machine is shared with other test runs: bursts of 1-2 s in which
 * every process answers late came in about half of the runs, with or without a
 * slow target (the same bursts showed when the slow receiver answered 503 at
 * once). They land in one phase or the other by chance. What this test
 * guards against, healthy requests held behind the slow target, is not
 * chance: it shows in every measurement, so it fails all of them.
 */
const MEASUREMENTS = 3;

let gateway: FaultGateway | undefined;
const receivers: ControllableReceiver[] = [];
afterEach(async () => {
  await gateway?.stop();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

// coolDownMs 6000: the circuit must still be open when the test reads /status
// after the few seconds of measured traffic, on a machine where that can run late.
const config = (fast: string, slow: string) => `
targets:
  fast: { type: http, url: "${fast}/fast", timeoutMs: 2000 }
  slow:
    type: http
    url: "${slow}/slow"
    timeoutMs: ${TARGET_TIMEOUT_MS}
    circuitBreaker: { failureThreshold: 3, coolDownMs: 6000 }
routes:
  - name: healthy
    filters: [{ exact: { type: com.example.fast } }]
    to: [fast]
  - name: sluggish
    filters: [{ exact: { type: com.example.slow } }]
    to: [slow]
delivery:
  timeoutMs: 5000
`;

const healthyEvent = (phase: string) => (i: number) => ({
  id: `${phase}-${i}`,
  source: "/faults/slow-target",
  type: "com.example.fast",
});
const slowEvent = (i: number) => ({
  id: `slow-${i}`,
  source: "/faults/slow-target",
  type: "com.example.slow",
});

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

interface Measurement {
  readonly p99Alone: number;
  readonly p99WithSlow: number;
  readonly slowAnswers: readonly Sent[];
  /** The slow route's answers that an open circuit refused. */
  readonly refusedByCircuit: readonly Sent[];
  readonly probes: readonly Sent[];
}

/** The healthy route alone, then beside traffic to the slow one; then five requests to the slow one. */
async function measure(attempt: number): Promise<Measurement> {
  await gateway?.stop();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  const fast = await startControllableReceiver({ status: 204 });
  const slow = await startControllableReceiver({ status: 204, delayMs: SLOW_ANSWER_MS });
  receivers.push(fast, slow);
  gateway = await startGateway(config(fast.url, slow.url));
  const { url } = gateway;

  // Warm-up: connections open, code compiled, so "alone" is not measured cold.
  await openLoad({ url, ratePerSecond: 200, count: 100, eventFor: healthyEvent("warm") });
  const alone = await closedLoad({
    url,
    concurrency: HEALTHY_CONCURRENCY,
    count: HEALTHY_COUNT,
    eventFor: healthyEvent("alone"),
  });
  // The slow route's traffic starts with the measurement: its first attempts wait out the
  // target's timeout while healthy requests are measured, then the circuit opens.
  let measuring = true;
  const slowStart = Date.now();
  const slowTraffic = openLoad({
    url,
    ratePerSecond: SLOW_RATE,
    count: Number.POSITIVE_INFINITY,
    // At least SLOW_MIN_MS: well past the first timeouts, so most of it meets an open circuit.
    stopWhen: () => !measuring && Date.now() - slowStart >= SLOW_MIN_MS,
    eventFor: slowEvent,
  });
  const withSlow = await closedLoad({
    url,
    concurrency: HEALTHY_CONCURRENCY,
    count: HEALTHY_COUNT,
    eventFor: healthyEvent("with-slow"),
  });
  measuring = false;
  const slowAnswers = await slowTraffic;
  const status = (await targetStatus(url, "slow")).delivery;
  const probes: Sent[] = [];
  for (let i = 0; i < 5; i++) probes.push(await postEvent(url, slowEvent(1_000 + i)));

  const healthyAnswers = [...alone, ...withSlow];
  const healthyAccepted = healthyAnswers.filter((s) => s.status === 202);
  // The warm-up's events are not counted: only the measured ones.
  const measured = fast.accepted().filter((r) => !r.id?.startsWith("warm-"));
  const deliveredIds = new Set(measured.map((r) => r.id));
  const result = {
    p99Alone: percentile(alone, 99),
    p99WithSlow: percentile(withSlow, 99),
    slowAnswers,
    refusedByCircuit: slowAnswers.filter((s) => s.body.includes(CIRCUIT_OPEN)),
    probes,
  };
  reportCounts(`slow-target measurement ${attempt}`, {
    sent: healthyAnswers.length + slowAnswers.length + probes.length,
    accepted: healthyAccepted.length + slowAnswers.filter((s) => s.status === 202).length,
    delivered: deliveredIds.size,
    duplicates: measured.length - deliveredIds.size,
    lost: healthyAccepted.filter((s) => !deliveredIds.has(s.id)).length,
    healthyStatuses: JSON.stringify(statusCounts(healthyAnswers)),
    slowStatuses: JSON.stringify(statusCounts(slowAnswers)),
    slowTimedOut: slowAnswers.filter((s) => s.body.includes(TIMED_OUT)).length,
    slowRefusedByCircuit: result.refusedByCircuit.length,
    refusedMedianMs: median(result.refusedByCircuit.map((s) => s.latencyMs)).toFixed(1),
    p99AloneMs: result.p99Alone.toFixed(1),
    p99WithSlowMs: result.p99WithSlow.toFixed(1),
    p50AloneMs: percentile(alone, 50).toFixed(1),
    p50WithSlowMs: percentile(withSlow, 50).toFixed(1),
    circuit: status.circuit,
    circuitOpened: status.circuitOpened,
    shed: status.shed,
    probeMedianMs: median(probes.map((p) => p.latencyMs)).toFixed(1),
  });

  // What does not depend on timing holds in every measurement.
  expect(statusCounts(healthyAnswers)).toEqual({ 202: healthyAnswers.length });
  expect(deliveredIds.size).toBe(healthyAnswers.length);
  expect(statusCounts(slowAnswers)).toEqual({ 503: slowAnswers.length });
  // Each slow request either waited out the target's timeout or met the open circuit; the
  // circuit opened after its threshold of timeouts, and most requests came after.
  expect(slowAnswers.filter((s) => !s.body.includes(TIMED_OUT) && !s.body.includes(CIRCUIT_OPEN))).toEqual(
    [],
  );
  expect(slowAnswers.filter((s) => s.body.includes(TIMED_OUT)).length).toBeGreaterThanOrEqual(3);
  expect(result.refusedByCircuit.length).toBeGreaterThan(slowAnswers.length / 2);
  expect(status.circuit).toBe("open");
  expect(status.circuitOpened).toBeGreaterThanOrEqual(1);
  for (const probe of probes) {
    expect(probe.status).toBe(503);
    expect(Number(probe.retryAfter)).toBeGreaterThan(0);
    expect(JSON.parse(probe.body)).toMatchObject({ code: "target-unavailable" });
  }
  return result;
}

/**
 * The latency bounds. The floor (alone + 20 ms): p99s of a few ms move by
 * several ms with scheduling and GC alone on a shared machine; the failure
 * this test looks for adds hundreds of ms (the 500 ms timeout, the 3 s
 * answers), far above it.
 */
const meetsBounds = (m: Measurement) =>
  m.p99WithSlow <= Math.max(2 * m.p99Alone, m.p99Alone + 20) &&
  // What the open circuit refused, it refused at once; so it does requests now.
  median(m.refusedByCircuit.map((s) => s.latencyMs)) < FAST_FAIL_MS &&
  median(m.probes.map((p) => p.latencyMs)) < FAST_FAIL_MS;

describe("a slow target next to a healthy one", () => {
  it("leaves the healthy route's p99 within twice its p99 alone, and its circuit opens and fails fast", async () => {
    const measurements: Measurement[] = [];
    for (let attempt = 1; attempt <= MEASUREMENTS; attempt++) {
      const m = await measure(attempt);
      measurements.push(m);
      if (meetsBounds(m)) break;
    }
    const last = measurements[measurements.length - 1] as Measurement;
    expect(
      measurements.some(meetsBounds),
      `p99 alone/with slow per measurement: ${measurements.map((m) => `${m.p99Alone.toFixed(1)}/${m.p99WithSlow.toFixed(1)} ms`).join(", ")}`,
    ).toBe(true);
    expect(last.p99WithSlow).toBeLessThanOrEqual(Math.max(2 * last.p99Alone, last.p99Alone + 20));
  }, 55_000);
});
