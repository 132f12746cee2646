/**
 * `ack: async` survives the gateway going away under load, whether SIGKILLed
 * (no shutdown, no flush) or told SIGTERM: started again on the same config
 * and outbox folder, every event that was answered 202 reaches the JetStream
 * stream (the log was on stable storage before the 202; the restarted
 * gateway's dispatcher resumes it), and JetStream's Nats-Msg-Id dedup keeps a
 * record delivered just before the stop from being stored twice.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningCli, startCli } from "../support/cli-process.js";
import { targetStatus, writeTempConfig } from "../support/fault-gateway.js";
import { createStream, readStream } from "../support/jetstream-stream.js";
import { closedLoad, reportCounts, statusCounts } from "../support/load-driver.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";

const STREAM = "ASYNC";
const LOAD_MS = 3_000;
const STOP_AT_MS = 1_500;
const CONCURRENCY = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const config = (natsUrl: string, outboxDir: string) => `
targets:
  stream:
    type: nats
    url: ${natsUrl}
    subject: async.orders
    jetstream: { stream: ${STREAM} }
    timeoutMs: 2000
    retry: { maxAttempts: 50, initialDelayMs: 50, maxDelayMs: 500 }
routes:
  - name: all
    to: [stream]
    ack: async
delivery:
  outbox: { type: log, dir: ${JSON.stringify(outboxDir)} }
server:
  shutdownGraceMs: 2000
`;

let nats: NatsServer | undefined;
const gateways: RunningCli[] = [];
afterEach(async () => {
  for (const gateway of gateways.splice(0)) await gateway.stop("SIGKILL");
  await nats?.dispose();
  nats = undefined;
});

const serve = async (configFile: string) => {
  const gateway = await startCli(["serve", "--config", configFile, "--port", "0"]);
  gateways.push(gateway);
  return gateway;
};

interface StopRun {
  readonly accepted: number;
  readonly lost: readonly string[];
  readonly duplicates: number;
  readonly exitCode: number | null;
  readonly stoppedInMs: number;
}

/**
 * Load for LOAD_MS, stop the gateway with `signal` STOP_AT_MS in, start it
 * again on the same outbox, wait until the outbox is empty, and count what
 * the stream holds against what was answered 202.
 */
async function stopUnderLoad(label: string, signal: NodeJS.Signals): Promise<StopRun> {
  const server = await startNatsServer();
  nats = server;
  await createStream(server.url, STREAM, ["async.>"]);
  const configFile = writeTempConfig(config(server.url, mkdtempSync(join(tmpdir(), "ce-gateway-outbox-"))));
  const first = await serve(configFile);
  let stoppedInMs = 0;
  const stopping = (async () => {
    await sleep(STOP_AT_MS);
    const began = Date.now();
    const code = await first.stop(signal);
    stoppedInMs = Date.now() - began;
    return code;
  })();
  const sent = await closedLoad({
    url: first.url,
    concurrency: CONCURRENCY,
    durationMs: LOAD_MS,
    eventFor: (i) => ({ id: `${label}-${i}`, source: `/faults/${label}`, type: "com.example.order" }),
  });
  const exitCode = await stopping;
  const accepted = sent.filter((s) => s.status === 202);

  const second = await serve(configFile);
  const depth = async () =>
    ((await targetStatus(second.url, "stream")) as unknown as { outbox?: { depth: number } }).outbox?.depth;
  await expect.poll(depth, { timeout: 20_000, interval: 200 }).toBe(0);

  const stored = await readStream(server.url, STREAM);
  const distinct = new Set(stored.map((m) => m.headers["ce-id"] ?? ""));
  const lost = accepted.filter((s) => !distinct.has(s.id)).map((s) => s.id);
  const statuses = statusCounts(sent);
  const run = {
    accepted: accepted.length,
    lost,
    duplicates: stored.length - distinct.size,
    exitCode,
    stoppedInMs,
  };
  reportCounts(label, {
    sent: sent.length,
    accepted: accepted.length,
    delivered: distinct.size,
    duplicates: run.duplicates,
    lost: lost.length,
    unanswered: statuses[0] ?? 0,
    other: sent.length - accepted.length - (statuses[0] ?? 0),
    exitCode: String(exitCode),
    stoppedInMs,
  });
  // Only 202 before the stop; after it, connections were refused (no answer), never an error status.
  expect(Object.keys(statuses).every((s) => s === "202" || s === "0")).toBe(true);
  return run;
}

describe("ack: async across a stop and a restart", () => {
  it("delivers every event answered 202 after a SIGKILL: lost 0, none stored twice", async () => {
    const run = await stopUnderLoad("async-crash-restart", "SIGKILL");
    expect(run.accepted).toBeGreaterThan(50);
    expect(run.lost).toEqual([]);
    expect(run.duplicates).toBe(0);
  }, 60_000);

  it("shuts down on SIGTERM within its grace, exit 0, and the next start delivers what was waiting", async () => {
    const run = await stopUnderLoad("async-sigterm-restart", "SIGTERM");
    expect(run.exitCode).toBe(0);
    // The grace (2 s) plus closing the listeners and the log.
    expect(run.stoppedInMs).toBeLessThan(6_000);
    expect(run.accepted).toBeGreaterThan(50);
    expect(run.lost).toEqual([]);
    expect(run.duplicates).toBe(0);
  }, 60_000);
});
