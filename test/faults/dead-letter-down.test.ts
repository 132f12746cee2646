/**
 * A dead letter that is down is no dead letter: an HTTP target refuses the
 * event (400) and its route's dead letter is a JetStream target whose server
 * is stopped. The producer must not be told the event was handled: 503 with
 * a problem body, and the event is nowhere. Once the server is back, the same
 * request is answered 202 with the event listed as dead-lettered.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type ControllableReceiver,
  REFUSE,
  startControllableReceiver,
} from "../support/controllable-receiver.js";
import { deadLetterConfig } from "../support/dead-letter-config.js";
import { endAfterEach, type FaultGateway, startGateway, targetStatus } from "../support/fault-gateway.js";
import { createStream, readStream } from "../support/jetstream-stream.js";
import { type LoadEvent, postEvent, reportCounts } from "../support/load-driver.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";

const STREAM = "DEADLETTERS";

let nats: NatsServer | undefined;
let gateway: FaultGateway | undefined;
let receiver: ControllableReceiver | undefined;
endAfterEach(() => [gateway, nats, receiver]);

const config = (receiverUrl: string, natsUrl: string) =>
  deadLetterConfig({ receiverUrl, natsUrl, stream: STREAM, dlqTimeoutMs: 1000 });

const EVENT: LoadEvent = { id: "refused-1", source: "/faults/dead-letter-down", type: "com.example.order" };

describe("a dead letter whose server is down", () => {
  it("answers 503 and holds the event nowhere; once it is back, 202 dead-lettered", async () => {
    nats = await startNatsServer();
    await createStream(nats.url, STREAM, ["deadletters.>"]);
    receiver = await startControllableReceiver(REFUSE);
    gateway = await startGateway(config(receiver.url, nats.url));
    const { url } = gateway;
    await expect.poll(async () => (await targetStatus(url, "dlq")).ready, { timeout: 10_000 }).toBe(true);

    await nats.stop();
    await expect.poll(async () => (await targetStatus(url, "dlq")).ready, { timeout: 10_000 }).toBe(false);
    const whileDown = await postEvent(url, EVENT);
    expect(whileDown.status).toBe(503);
    expect(whileDown.retryAfter).not.toBeNull();
    const problem = JSON.parse(whileDown.body) as Record<string, unknown>;
    expect(problem).not.toHaveProperty("accepted");
    expect(problem).not.toHaveProperty("events");
    expect(JSON.stringify(problem)).toContain("dlq");
    // The receiver saw it and refused it; nothing took it.
    expect(receiver.requests.map((r) => r.answeredWith)).toEqual([400]);

    await nats.restart();
    const storedWhileDown = await readStream(nats.url, STREAM);
    expect(storedWhileDown).toEqual([]);
    await expect.poll(async () => (await targetStatus(url, "dlq")).ready, { timeout: 10_000 }).toBe(true);

    const onceBack = await postEvent(url, EVENT);
    const stored = await readStream(nats.url, STREAM);
    reportCounts("dead-letter-down", {
      sent: 2,
      accepted: [whileDown, onceBack].filter((s) => s.status === 202).length,
      delivered: receiver.accepted().length,
      deadLettered: stored.length,
      duplicates: Math.max(0, stored.length - 1),
      lost: onceBack.status === 202 && stored.length === 0 ? 1 : 0,
      "503s": [whileDown, onceBack].filter((s) => s.status === 503).length,
      storedWhileDown: storedWhileDown.length,
      receiverRequests: receiver.requests.length,
    });
    expect(onceBack.status).toBe(202);
    expect(JSON.parse(onceBack.body)).toMatchObject({
      accepted: 1,
      events: [
        {
          id: EVENT.id,
          source: EVENT.source,
          deadLettered: [{ target: "receiver", deadLetter: "dlq" }],
        },
      ],
    });
    expect(stored.map((m) => m.headers["ce-id"])).toEqual([EVENT.id]);
    expect(stored[0]?.headers["ce-deadlettertarget"]).toBe("receiver");
    expect(receiver.accepted()).toEqual([]);
  });

  it("with ack: async, keeps a refused event in the outbox while its dead letter is down, and dead-letters it once back", async () => {
    nats = await startNatsServer();
    await createStream(nats.url, STREAM, ["deadletters.>"]);
    receiver = await startControllableReceiver(REFUSE);
    const outboxDir = mkdtempSync(join(tmpdir(), "ce-gateway-outbox-"));
    const asyncConfig = config(receiver.url, nats.url)
      .replace("    deadLetter: dlq", "    deadLetter: dlq\n    ack: async")
      .replace("delivery:\n", `delivery:\n  outbox: { type: log, dir: ${JSON.stringify(outboxDir)} }\n`);
    gateway = await startGateway(asyncConfig);
    const { url } = gateway;
    await expect.poll(async () => (await targetStatus(url, "dlq")).ready, { timeout: 10_000 }).toBe(true);

    await nats.stop();
    const accepted = await postEvent(url, EVENT);
    expect(accepted.status).toBe(202);
    expect(JSON.parse(accepted.body)).toMatchObject({ events: [{ id: EVENT.id, queued: true }] });
    const depth = async () =>
      ((await targetStatus(url, "receiver")) as unknown as { outbox: { depth: number } }).outbox.depth;
    // Refused more than once while the dead letter is down, and still waiting.
    await expect.poll(() => receiver?.requests.length ?? 0, { timeout: 10_000 }).toBeGreaterThan(1);
    const waitingWhileDown = await depth();
    expect(waitingWhileDown).toBe(1);

    await nats.restart();
    await expect.poll(depth, { timeout: 20_000, interval: 200 }).toBe(0);
    const stored = await readStream(nats.url, STREAM);
    reportCounts("dead-letter-down async", {
      sent: 1,
      accepted: 1,
      delivered: receiver.accepted().length,
      deadLettered: stored.length,
      duplicates: Math.max(0, stored.length - 1),
      lost: stored.length === 0 ? 1 : 0,
      waitingWhileDown,
      receiverRequests: receiver.requests.length,
    });
    expect(stored.map((m) => m.headers["ce-id"])).toEqual([EVENT.id]);
    expect(stored[0]?.headers["ce-deadlettertarget"]).toBe("receiver");
  });
});
