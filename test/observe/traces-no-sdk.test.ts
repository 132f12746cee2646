/**
 * With no OpenTelemetry SDK registered (the default), tracing costs nothing
 * and writes nothing: a request's `traceparent` reaches no target's
 * transport headers, and no event is changed, except where a route asks for
 * the distributed-tracing extension: then the request's own `traceparent`
 * header is the trace the event started in.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { trace } from "@opentelemetry/api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeNatsMessage } from "../../src/bindings/nats/decode.js";
import { type RunningGateway, serveGateway } from "../../src/entries/node/serve.js";
import type { CloudEvent } from "../../src/event/cloud-event.js";
import { STRUCTURED, structuredEvent } from "../support/gateway.js";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";

const INCOMING = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const silent = { debug() {}, info() {}, warn() {}, error() {} };

let nats: NatsServer;
let receiver: HttpReceiver;
let running: RunningGateway;
let nc: NatsConnection;
const received: { headers: string[]; event: CloudEvent }[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  receiver = await startHttpReceiver();
  nc = await connect({ servers: nats.url });
  nc.subscribe("events.>", {
    callback: (_error, message) => {
      const headers = message.headers ? [...message.headers] : [];
      received.push({
        headers: headers.map(([name]) => name.toLowerCase()),
        event: decodeNatsMessage(headers, message.data),
      });
    },
  });
  await nc.flush();
  running = await serveGateway({
    config: {
      targets: {
        bus: { type: "nats", url: nats.url, subject: "events.{type}" },
        web: { type: "http", url: `${receiver.url}/hook` },
      },
      routes: [
        { name: "plain", filters: [{ prefix: { type: "com.example.parcel" } }], to: ["bus", "web"] },
        {
          name: "traced",
          filters: [{ prefix: { type: "com.example.traced" } }],
          to: ["bus"],
          trace: { addExtension: true },
        },
      ],
    },
    port: 0,
    host: "127.0.0.1",
    logger: silent,
  });
}, 30_000);

afterAll(async () => {
  await running?.stop();
  await nc?.close();
  await receiver?.close();
  await nats?.dispose();
});

beforeEach(() => {
  received.length = 0;
  receiver.requests.length = 0;
});

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const post = (event: Record<string, unknown>, headers: Record<string, string> = { traceparent: INCOMING }) =>
  fetch(`${running.url}/events`, {
    method: "POST",
    headers: { ...STRUCTURED, ...headers },
    body: JSON.stringify(event),
  });

describe("no tracing SDK registered", () => {
  it("is the API's no-op: its spans do not record", () => {
    expect(trace.getTracer("probe").startSpan("probe").isRecording()).toBe(false);
  });

  it("adds nothing to the messages a target sends", async () => {
    const response = await post(structuredEvent({ id: "p-1", type: "com.example.parcel.sent" }));
    expect(response.status).toBe(202);
    const onNats = await until("the NATS message", () => received[0]);
    expect(onNats.headers).not.toContain("traceparent");
    expect(onNats.headers).not.toContain("tracestate");
    expect(onNats.event.extensions.size).toBe(0);
    const delivered = await until("the HTTP delivery", () => receiver.requests[0]);
    expect(delivered.headers).not.toHaveProperty("traceparent");
    expect(delivered.headers).not.toHaveProperty("ce-traceparent");
  });

  it("adds the extension a route asks for from the request's own traceparent header", async () => {
    const response = await post(structuredEvent({ id: "t-1", type: "com.example.traced" }), {
      traceparent: INCOMING,
      tracestate: "vendor=abc",
    });
    expect(response.status).toBe(202);
    const onNats = await until("the NATS message", () => received[0]);
    expect(onNats.event.extensions.get("traceparent")).toBe(INCOMING);
    expect(onNats.event.extensions.get("tracestate")).toBe("vendor=abc");
    expect(onNats.headers).not.toContain("traceparent");
  });

  it("adds no extension when the request brings no trace either", async () => {
    const response = await post(structuredEvent({ id: "t-2", type: "com.example.traced" }), {});
    expect(response.status).toBe(202);
    const onNats = await until("the NATS message", () => received[0]);
    expect(onNats.event.extensions.has("traceparent")).toBe(false);
  });
});
