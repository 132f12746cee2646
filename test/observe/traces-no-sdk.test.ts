/**
 * With no OpenTelemetry SDK registered (the default), tracing costs nothing
 * and writes nothing: a request's `traceparent` reaches no target's
 * transport headers, and no event is changed, except where a route asks for
 * the distributed-tracing extension: then the request's own `traceparent`
 * header is the trace the event started in.
 */
import { trace } from "@opentelemetry/api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { structuredEvent } from "../support/gateway.js";
import { startTracedNatsGateway, type TracedNatsGateway, until } from "../support/traced-nats-gateway.js";

const INCOMING = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

let t: TracedNatsGateway;

beforeAll(async () => {
  t = await startTracedNatsGateway({
    config: (where) => ({
      targets: {
        bus: { type: "nats", url: where.nats, subject: "events.{type}" },
        web: { type: "http", url: `${where.receiver}/hook` },
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
    }),
  });
}, 30_000);

afterAll(async () => {
  await t?.close();
});

beforeEach(() => t.reset());

const post = (event: Record<string, unknown>, headers: Record<string, string> = { traceparent: INCOMING }) =>
  t.post(event, headers);

describe("no tracing SDK registered", () => {
  it("is the API's no-op: its spans do not record", () => {
    expect(trace.getTracer("probe").startSpan("probe").isRecording()).toBe(false);
  });

  it("adds nothing to the messages a target sends", async () => {
    const response = await post(structuredEvent({ id: "p-1", type: "com.example.parcel.sent" }));
    expect(response.status).toBe(202);
    const onNats = await until("the NATS message", () => t.received[0]);
    expect([...onNats.headers.keys()]).not.toContain("traceparent");
    expect([...onNats.headers.keys()]).not.toContain("tracestate");
    expect(onNats.event.extensions.size).toBe(0);
    const delivered = await until("the HTTP delivery", () => t.receiver.requests[0]);
    expect(delivered.headers).not.toHaveProperty("traceparent");
    expect(delivered.headers).not.toHaveProperty("ce-traceparent");
  });

  it("adds the extension a route asks for from the request's own traceparent header", async () => {
    const response = await post(structuredEvent({ id: "t-1", type: "com.example.traced" }), {
      traceparent: INCOMING,
      tracestate: "vendor=abc",
    });
    expect(response.status).toBe(202);
    const onNats = await until("the NATS message", () => t.received[0]);
    expect(onNats.event.extensions.get("traceparent")).toBe(INCOMING);
    expect(onNats.event.extensions.get("tracestate")).toBe("vendor=abc");
    expect([...onNats.headers.keys()]).not.toContain("traceparent");
  });

  it("adds no extension when the request brings no trace either", async () => {
    const response = await post(structuredEvent({ id: "t-2", type: "com.example.traced" }), {});
    expect(response.status).toBe(202);
    const onNats = await until("the NATS message", () => t.received[0]);
    expect(onNats.event.extensions.has("traceparent")).toBe(false);
  });
});
