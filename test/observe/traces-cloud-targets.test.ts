/**
 * Where the Pub/Sub and Event Grid targets write a hop's trace context
 * (what the delivery layer hands them as `traceHeaders` when an SDK is
 * registered): Pub/Sub message attributes named as Google's client
 * libraries name them, and Event Grid's publish request headers, over both
 * of each target's clients. The event's own extension is never touched, and
 * a Pub/Sub message the attributes would push past a limit goes without them.
 */
process.env.METADATA_SERVER_DETECTION = "none";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodePubsubAdapter } from "../../adapters/pubsub/node/target.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { createCloudEvent } from "../../src/event/cloud-event.js";
import { attemptOptions } from "../support/attempt.js";
import { jsonEvent, keyTarget, publishOptions, viaSdk } from "../support/eventgrid-fixtures.js";
import { startFakeEventGrid } from "../support/fake-eventgrid.js";
import { type FakePubsub, startFakePubsub } from "../support/fake-pubsub/index.js";

const HOP = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const PRODUCERS_OWN = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const traceHeaders = { traceparent: HOP, tracestate: "gw=1" };

let fake: FakePubsub;
beforeAll(async () => {
  fake = await startFakePubsub({ projectId: "p", topics: ["traced"] });
}, 30_000);
afterAll(() => fake?.close());

const event = (id: string, extensions: [string, string][] = []) =>
  createCloudEvent({
    attributes: { specversion: "1.0", id, source: "/s", type: "t" },
    extensions: new Map(extensions),
  });

describe.each(["grpc", "rest"] as const)("Pub/Sub over %s", (api) => {
  const adapter = () =>
    createNodePubsubAdapter(
      {
        projectId: "p",
        topic: "traced",
        api,
        apiEndpoint: api === "rest" ? fake.restUrl : fake.grpcHost,
        timeoutMs: 2_000,
      },
      portableRuntime(),
    );
  const stored = (id: string) => fake.messages("traced").find((m) => m.attributes["ce-id"] === id);

  it("writes the hop's context as googclient_ attributes, beside the event's own ce-traceparent", async () => {
    const a = adapter();
    const [outcome] = await a.publish([{ event: event(`${api}-1`, [["traceparent", PRODUCERS_OWN]]) }], {
      ...attemptOptions(),
      traceHeaders,
    });
    expect(outcome?.status, JSON.stringify(outcome)).toBe("acked");
    expect(stored(`${api}-1`)?.attributes).toMatchObject({
      googclient_traceparent: HOP,
      googclient_tracestate: "gw=1",
      "ce-traceparent": PRODUCERS_OWN,
    });
    await a.close();
  });

  it("writes nothing without trace headers", async () => {
    const a = adapter();
    await a.publish([{ event: event(`${api}-2`) }], attemptOptions());
    expect(
      Object.keys(stored(`${api}-2`)?.attributes ?? {}).filter((k) => k.startsWith("googclient_")),
    ).toEqual([]);
    await a.close();
  });

  it("sends a message with all the attributes Pub/Sub allows without the trace ones, rather than fail it", async () => {
    const a = adapter();
    // 4 required attributes (ce-specversion, ce-id, ce-source, ce-type) and 96 extensions: 100, the limit.
    const many = Array.from({ length: 96 }, (_, i): [string, string] => [`x${i}`, "v"]);
    const [outcome] = await a.publish([{ event: event(`${api}-3`, many) }], {
      ...attemptOptions(),
      traceHeaders,
    });
    expect(outcome?.status).toBe("acked");
    const attributes = stored(`${api}-3`)?.attributes ?? {};
    expect(Object.keys(attributes)).toHaveLength(100);
    expect(attributes).not.toHaveProperty("googclient_traceparent");
    await a.close();
  });
});

describe.each(["rest", "sdk"] as const)("Event Grid over %s", (api) => {
  it("sends the hop's context as headers of the publish request, the events as accepted", async () => {
    const grid = await startFakeEventGrid({ key: "k" });
    try {
      const adapter = keyTarget(grid, api);
      const [outcome] = await adapter.publish([{ event: jsonEvent(`${api}-1`) }], {
        ...publishOptions(),
        traceHeaders,
      });
      expect(outcome?.status).toBe("acked");
      const request = grid.requests.at(-1);
      expect(request && viaSdk(request)).toBe(api === "sdk");
      expect(request?.headers.traceparent).toBe(HOP);
      expect(request?.headers.tracestate).toBe("gw=1");
      expect(JSON.parse(request?.body ?? "[]")[0]).not.toHaveProperty("traceparent");
    } finally {
      await grid.close();
    }
  });
});
