/**
 * Two gateway instances share one JetStream outbox (`delivery.outbox.type:
 * nats`): one accepts a backlog while the target is down and is then
 * SIGKILLed; once the target is back, the other delivers the whole backlog
 * (the dead instance's leases move on after the outbox's ack wait). Lost 0.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type RunningCli, startCli } from "../support/cli-process.js";
import {
  ACCEPT,
  type ControllableReceiver,
  startControllableReceiver,
  UNAVAILABLE,
} from "../support/controllable-receiver.js";
import { writeTempConfig } from "../support/fault-gateway.js";
import { postEvent, reportCounts } from "../support/load-driver.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";

const EVENTS = 60;

const config = (receiverUrl: string, natsUrl: string) => `
targets:
  receiver:
    type: http
    url: "${receiverUrl}/in"
    timeoutMs: 1000
    retry: { maxAttempts: 100, initialDelayMs: 100, maxDelayMs: 300 }
routes:
  - name: all
    to: [receiver]
    ack: async
delivery:
  outbox: { type: nats, url: ${natsUrl}, stream: SHARED_OUTBOX, ackWaitMs: 1500 }
`;

let nats: NatsServer | undefined;
let receiver: ControllableReceiver | undefined;
const gateways: RunningCli[] = [];
afterEach(async () => {
  for (const gateway of gateways.splice(0)) await gateway.stop("SIGKILL");
  await nats?.dispose();
  await receiver?.close();
  nats = undefined;
  receiver = undefined;
});

describe("a JetStream outbox shared by two instances", () => {
  it("has the survivor deliver the backlog of an instance that was killed", async () => {
    nats = await startNatsServer();
    receiver = await startControllableReceiver(UNAVAILABLE);
    const configFile = writeTempConfig(config(receiver.url, nats.url));
    const doomed = await startCli(["serve", "--config", configFile, "--port", "0"]);
    gateways.push(doomed);
    const survivor = await startCli(["serve", "--config", configFile, "--port", "0"]);
    gateways.push(survivor);

    const sent = [];
    for (let i = 0; i < EVENTS; i++)
      sent.push(
        await postEvent(doomed.url, {
          id: `shared-${i}`,
          source: "/faults/shared",
          type: "com.example.order",
        }),
      );
    const accepted = sent.filter((s) => s.status === 202);
    expect(accepted).toHaveLength(EVENTS);
    await expect.poll(() => receiver?.requests.length ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
    await doomed.stop("SIGKILL");

    const survivorUrl = survivor.url;
    receiver.behave(ACCEPT);
    await expect
      .poll(() => new Set(receiver?.accepted().map((r) => r.id)).size, { timeout: 30_000, interval: 200 })
      .toBe(EVENTS);
    const ids = receiver.accepted().map((r) => r.id);
    const distinct = new Set(ids);
    const lost = accepted.filter((s) => !distinct.has(s.id)).map((s) => s.id);
    const depth = async () =>
      (
        (await (await fetch(`${survivorUrl}/status`)).json()) as {
          targets: { receiver: { outbox: { depth: number } } };
        }
      ).targets.receiver.outbox.depth;
    // The survivor's stats are read from the stream every second.
    await expect.poll(depth, { timeout: 5_000, interval: 200 }).toBe(0);
    reportCounts("shared-outbox-takeover", {
      sent: sent.length,
      accepted: accepted.length,
      delivered: distinct.size,
      duplicates: ids.length - distinct.size,
      lost: lost.length,
      refusedWhileDown: receiver.requests.length - ids.length,
      depthAfter: await depth(),
    });
    expect(lost).toEqual([]);
  }, 90_000);
});
