/**
 * `ack: async` survives a crash: the gateway is SIGKILLed under load (no
 * shutdown, no flush), then started again on the same config and outbox
 * folder. Every event that was answered 202 reaches the JetStream stream
 * (the log was on stable storage before the 202; the restarted gateway's
 * dispatcher resumes it), and JetStream's Nats-Msg-Id dedup keeps a record
 * delivered just before the crash from being stored twice.
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
const KILL_AT_MS = 1_500;
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

describe("ack: async across a crash", () => {
  it("delivers every event answered 202 after a SIGKILL and a restart: lost 0, none stored twice", async () => {
    nats = await startNatsServer();
    await createStream(nats.url, STREAM, ["async.>"]);
    const configFile = writeTempConfig(config(nats.url, mkdtempSync(join(tmpdir(), "ce-gateway-outbox-"))));
    const first = await startCli(["serve", "--config", configFile, "--port", "0"]);
    gateways.push(first);

    const crash = (async () => {
      await sleep(KILL_AT_MS);
      await first.stop("SIGKILL");
    })();
    const sent = await closedLoad({
      url: first.url,
      concurrency: CONCURRENCY,
      durationMs: LOAD_MS,
      eventFor: (i) => ({ id: `async-${i}`, source: "/faults/async-crash", type: "com.example.order" }),
    });
    await crash;
    const accepted = sent.filter((s) => s.status === 202);
    expect(accepted.length).toBeGreaterThan(50);

    const second = await startCli(["serve", "--config", configFile, "--port", "0"]);
    gateways.push(second);
    await expect
      .poll(
        async () => (await targetStatus(second.url, "stream")) as unknown as { outbox?: { depth: number } },
        {
          timeout: 20_000,
          interval: 200,
        },
      )
      .toMatchObject({ outbox: { depth: 0 } });

    const stored = await readStream(nats.url, STREAM);
    const storedIds = stored.map((m) => m.headers["ce-id"] ?? "");
    const distinct = new Set(storedIds);
    const lost = accepted.filter((s) => !distinct.has(s.id)).map((s) => s.id);
    const statuses = statusCounts(sent);
    reportCounts("async-crash-restart", {
      sent: sent.length,
      accepted: accepted.length,
      delivered: distinct.size,
      duplicates: stored.length - distinct.size,
      lost: lost.length,
      unanswered: statuses[0] ?? 0,
      other: sent.length - accepted.length - (statuses[0] ?? 0),
    });
    expect(lost).toEqual([]);
    expect(stored.length - distinct.size).toBe(0);
    // Only 202 before the kill; after it, connections were refused (no answer), never an error status.
    expect(Object.keys(statuses).every((s) => s === "202" || s === "0")).toBe(true);
  }, 60_000);

  it("shuts down on SIGTERM within its grace, exit 0, and the next start delivers what was waiting", async () => {
    nats = await startNatsServer();
    await createStream(nats.url, STREAM, ["async.>"]);
    const configFile = writeTempConfig(config(nats.url, mkdtempSync(join(tmpdir(), "ce-gateway-outbox-"))));
    const first = await startCli(["serve", "--config", configFile, "--port", "0"]);
    gateways.push(first);
    let stoppedIn = 0;
    const terminate = (async () => {
      await sleep(KILL_AT_MS);
      const began = Date.now();
      const code = await first.stop("SIGTERM");
      stoppedIn = Date.now() - began;
      return code;
    })();
    const sent = await closedLoad({
      url: first.url,
      concurrency: CONCURRENCY,
      durationMs: LOAD_MS,
      eventFor: (i) => ({ id: `term-${i}`, source: "/faults/async-term", type: "com.example.order" }),
    });
    const exitCode = await terminate;
    const accepted = sent.filter((s) => s.status === 202);

    const second = await startCli(["serve", "--config", configFile, "--port", "0"]);
    gateways.push(second);
    await expect
      .poll(
        async () => (await targetStatus(second.url, "stream")) as unknown as { outbox?: { depth: number } },
        {
          timeout: 20_000,
          interval: 200,
        },
      )
      .toMatchObject({ outbox: { depth: 0 } });
    const stored = await readStream(nats.url, STREAM);
    const distinct = new Set(stored.map((m) => m.headers["ce-id"] ?? ""));
    const lost = accepted.filter((s) => !distinct.has(s.id)).map((s) => s.id);
    const statuses = statusCounts(sent);
    reportCounts("async-sigterm-restart", {
      sent: sent.length,
      accepted: accepted.length,
      delivered: distinct.size,
      duplicates: stored.length - distinct.size,
      lost: lost.length,
      exitCode: String(exitCode),
      stoppedInMs: stoppedIn,
      unanswered: statuses[0] ?? 0,
    });
    expect(exitCode).toBe(0);
    // The grace (2 s) plus closing the listeners and the log.
    expect(stoppedIn).toBeLessThan(6_000);
    expect(accepted.length).toBeGreaterThan(50);
    expect(lost).toEqual([]);
    expect(stored.length - distinct.size).toBe(0);
  }, 60_000);
});
