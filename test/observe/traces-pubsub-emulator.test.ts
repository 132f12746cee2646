/**
 * The hop's trace context on Pub/Sub against Google's own emulator, over
 * gRPC and REST: the `googclient_traceparent` attribute Google's client
 * libraries write and read is accepted and arrives with the message, beside
 * the event's own `ce-traceparent`.
 */
process.env.METADATA_SERVER_DETECTION = "none";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodePubsubAdapter } from "../../adapters/pubsub/node/target.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { createCloudEvent } from "../../src/event/cloud-event.js";
import { attemptOptions } from "../support/attempt.js";
import {
  type PubsubEmulator,
  pubsubEmulatorMissing,
  startPubsubEmulator,
} from "../support/pubsub-emulator.js";

const HOP = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const PRODUCERS_OWN = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
let emulator: PubsubEmulator;

const suiteName = `trace attributes on Google's Pub/Sub emulator${pubsubEmulatorMissing === undefined ? "" : ` (skipped: ${pubsubEmulatorMissing})`}`;

describe.skipIf(pubsubEmulatorMissing !== undefined)(suiteName, () => {
  beforeAll(async () => {
    emulator = await startPubsubEmulator();
    await emulator.createTopic("p", "traced");
    await emulator.createSubscription("p", "traced-in", "traced");
  }, 60_000);
  afterAll(async () => {
    await emulator?.stop();
  }, 15_000);

  it.each(["grpc", "rest"] as const)("over %s", async (api) => {
    const adapter = createNodePubsubAdapter(
      {
        projectId: "p",
        topic: "traced",
        api,
        apiEndpoint: api === "rest" ? emulator.restUrl : emulator.host,
      },
      portableRuntime(),
    );
    const event = createCloudEvent({
      attributes: { specversion: "1.0", id: `e-${api}`, source: "/s", type: "t" },
      extensions: new Map([["traceparent", PRODUCERS_OWN]]),
    });
    const [outcome] = await adapter.publish([{ event }], {
      ...attemptOptions(),
      traceHeaders: { traceparent: HOP },
    });
    await adapter.close();
    expect(outcome?.status, JSON.stringify(outcome)).toBe("acked");
    const [message] = await emulator.pull("p", "traced-in", "traced");
    expect(message?.attributes).toMatchObject({
      googclient_traceparent: HOP,
      "ce-traceparent": PRODUCERS_OWN,
    });
  });
});
