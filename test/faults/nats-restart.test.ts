/**
 * A NATS JetStream target whose server dies under sustained load and comes
 * back on the same port and store: every event answered 202 is in the
 * stream, none is stored twice (Nats-Msg-Id), and the producer sees only 202
 * or 503. With retries on the target and a budget, the gateway rides the
 * outage out: fewer 503s than without retries, for the same outage.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type FaultGateway, startGateway, targetStatus } from "../support/fault-gateway.js";
import { createStream, readStream } from "../support/jetstream-stream.js";
import { closedLoad, reportCounts, type Sent, statusCounts } from "../support/load-driver.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";

const STREAM = "FAULTS";
const LOAD_MS = 6_000;
const CONCURRENCY = 20;
/** The outage: the server stops this long into the load, and is started again this long after. */
const STOP_AT_MS = 1_500;
const DOWN_FOR_MS = 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const config = (natsUrl: string, retry: string) => `
targets:
  stream:
    type: nats
    url: ${natsUrl}
    subject: faults.orders
    jetstream: { stream: ${STREAM} }
    reconnectWaitMs: 100
    timeoutMs: 2000
${retry}
routes:
  - name: all
    to: [stream]
delivery:
  timeoutMs: 8000
`;

const WITH_RETRY = "    retry: { maxAttempts: 8, initialDelayMs: 100, maxDelayMs: 1000 }";

interface RunResult {
  readonly sent: readonly Sent[];
  readonly statuses: Record<number, number>;
  readonly lost: readonly string[];
  readonly duplicates: number;
  readonly failures: number;
}

let nats: NatsServer | undefined;
let gateway: FaultGateway | undefined;
afterEach(async () => {
  await gateway?.stop();
  await nats?.dispose();
  gateway = undefined;
  nats = undefined;
});

/** Load for LOAD_MS with the same outage every run; then what the stream holds against what was answered. */
async function runWithOutage(label: string, retry: string): Promise<RunResult> {
  nats = await startNatsServer();
  await createStream(nats.url, STREAM, ["faults.>"]);
  gateway = await startGateway(config(nats.url, retry));
  const { url } = gateway;
  await expect.poll(async () => (await targetStatus(url, "stream")).ready, { timeout: 10_000 }).toBe(true);

  const server = nats;
  const outage = (async () => {
    await sleep(STOP_AT_MS);
    await server.stop();
    await sleep(DOWN_FOR_MS);
    await server.restart();
  })();
  const sent = await closedLoad({
    url,
    concurrency: CONCURRENCY,
    durationMs: LOAD_MS,
    eventFor: (i) => ({ id: `${label}-${i}`, source: "/faults/nats-restart", type: "com.example.order" }),
  });
  await outage;

  const stored = await readStream(server.url, STREAM);
  const storedIds = stored.map((m) => m.headers["ce-id"] ?? "");
  const distinct = new Set(storedIds);
  const msgIds = new Set(stored.map((m) => m.headers["Nats-Msg-Id"]));
  const accepted = sent.filter((s) => s.status === 202);
  const acceptedIds = new Set(accepted.map((s) => s.id));
  const lost = accepted.filter((s) => !distinct.has(s.id)).map((s) => s.id);
  const statuses = statusCounts(sent);
  const { failures } = (await targetStatus(url, "stream")).delivery;
  reportCounts(`nats-restart ${label}`, {
    sent: sent.length,
    accepted: accepted.length,
    delivered: distinct.size,
    duplicates: stored.length - distinct.size,
    lost: lost.length,
    "503s": statuses[503] ?? 0,
    other: sent.length - accepted.length - (statuses[503] ?? 0),
    storedWithout202: [...distinct].filter((id) => !acceptedIds.has(id)).length,
    targetFailures: failures,
  });
  // Each stored message carries its own Nats-Msg-Id: one per event.
  expect(msgIds.size).toBe(stored.length);
  return { sent, statuses, lost, duplicates: stored.length - distinct.size, failures };
}

let withoutRetries: RunResult | undefined;

describe("a JetStream target whose server restarts under load", () => {
  it("without retries: 202 only for what the stream stored, 503 for the outage", async () => {
    const run = await runWithOutage("no-retry", "");
    withoutRetries = run;
    expect(run.lost).toEqual([]);
    expect(run.duplicates).toBe(0);
    expect(Object.keys(run.statuses).sort()).toEqual(["202", "503"]);
    // The outage happened and was seen: without retries, it shows as 503s.
    expect(run.statuses[503] ?? 0).toBeGreaterThan(0);
  }, 40_000);

  it("with retries and a budget: nothing lost, nothing stored twice, fewer 503s than without", async () => {
    const run = await runWithOutage("retry", WITH_RETRY);
    expect(run.lost).toEqual([]);
    expect(run.duplicates).toBe(0);
    expect(Object.keys(run.statuses).every((s) => s === "202" || s === "503")).toBe(true);
    // The outage reached the target: attempts failed and were retried.
    expect(run.failures).toBeGreaterThan(0);
    expect(withoutRetries, "the run without retries goes first").toBeDefined();
    expect(run.statuses[503] ?? 0).toBeLessThan(withoutRetries?.statuses[503] ?? 0);
  }, 40_000);
});
