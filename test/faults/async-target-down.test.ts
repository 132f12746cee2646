/**
 * `ack: async` while the target is down: the producer keeps getting 202
 * (the events wait in the outbox), and once the NATS server is back every
 * accepted event reaches the stream, in acceptance order per ordering key
 * (`partitionkey`), none twice.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningCli, startCli } from "../support/cli-process.js";
import { targetStatus, writeTempConfig } from "../support/fault-gateway.js";
import { createStream, readStream } from "../support/jetstream-stream.js";
import { reportCounts } from "../support/load-driver.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";

const STREAM = "ORDERED";
const KEYS = ["k1", "k2", "k3", "k4"];
const PER_KEY = 40;

const config = (natsUrl: string, outboxDir: string) => `
targets:
  stream:
    type: nats
    url: ${natsUrl}
    subject: ordered.orders
    jetstream: { stream: ${STREAM} }
    timeoutMs: 1000
    reconnectWaitMs: 100
    retry: { maxAttempts: 100, initialDelayMs: 50, maxDelayMs: 300 }
routes:
  - name: all
    to: [stream]
    ack: async
delivery:
  outbox: { type: log, dir: ${JSON.stringify(outboxDir)} }
`;

let nats: NatsServer | undefined;
let gateway: RunningCli | undefined;
afterEach(async () => {
  await gateway?.stop("SIGKILL");
  await nats?.dispose();
  gateway = undefined;
  nats = undefined;
});

/** Sends one key's events one after another (each waits for its answer): acceptance order is send order. */
async function sendKey(url: string, key: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let n = 0; n < PER_KEY; n++) {
    const response = await fetch(`${url}/events`, {
      method: "POST",
      headers: {
        "ce-specversion": "1.0",
        "ce-id": `${key}-${n}`,
        "ce-source": "/faults/async-down",
        "ce-type": "com.example.order",
        "ce-partitionkey": key,
        "content-type": "application/json",
      },
      body: JSON.stringify({ n }),
    });
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  return statuses;
}

describe("ack: async with the target down", () => {
  it("accepts while NATS is down and delivers everything after, in order per key", async () => {
    nats = await startNatsServer();
    await createStream(nats.url, STREAM, ["ordered.>"]);
    const outboxDir = mkdtempSync(join(tmpdir(), "ce-gateway-outbox-"));
    gateway = await startCli([
      "serve",
      "--config",
      writeTempConfig(config(nats.url, outboxDir)),
      "--port",
      "0",
    ]);
    const { url } = gateway;
    await expect.poll(async () => (await targetStatus(url, "stream")).ready, { timeout: 10_000 }).toBe(true);

    await nats.stop();
    const statuses = (await Promise.all(KEYS.map((key) => sendKey(url, key)))).flat();
    const waiting = (await targetStatus(url, "stream")) as unknown as { outbox: { depth: number } };
    await nats.restart();
    await expect
      .poll(
        async () =>
          ((await targetStatus(url, "stream")) as unknown as { outbox: { depth: number } }).outbox.depth,
        {
          timeout: 30_000,
          interval: 200,
        },
      )
      .toBe(0);

    const stored = await readStream(nats.url, STREAM);
    const ids = stored.map((m) => m.headers["ce-id"] ?? "");
    const distinct = new Set(ids);
    const accepted = statuses.filter((s) => s === 202).length;
    const lost = KEYS.flatMap((key) => Array.from({ length: PER_KEY }, (_, n) => `${key}-${n}`)).filter(
      (id) => !distinct.has(id),
    );
    reportCounts("async-target-down", {
      sent: statuses.length,
      accepted,
      delivered: distinct.size,
      duplicates: ids.length - distinct.size,
      lost: lost.length,
      waitingWhileDown: waiting.outbox.depth,
    });
    expect(accepted).toBe(KEYS.length * PER_KEY);
    expect(waiting.outbox.depth).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    expect(ids.length).toBe(distinct.size);
    for (const key of KEYS) {
      const order = ids
        .filter((id) => id.startsWith(`${key}-`))
        .map((id) => Number(id.slice(key.length + 1)));
      expect(order, key).toEqual(Array.from({ length: PER_KEY }, (_, n) => n));
    }
  }, 90_000);
});
