/**
 * Traces end to end, with an OpenTelemetry SDK registered in this process
 * (NodeTracerProvider: the W3C propagator and an in-memory exporter): an
 * HTTP request carrying `traceparent` goes through `serveGateway` (the Node
 * entry's own server) to a real nats-server and an HTTP receiver. Each hop's
 * context travels in its transport's headers, the event's own distributed
 * tracing extension is never changed, and a route may add one when absent.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { structuredEvent } from "../support/gateway.js";
import { startTracedNatsGateway, type TracedNatsGateway, until } from "../support/traced-nats-gateway.js";

const REQUEST_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const REQUEST_PARENT = "00f067aa0ba902b7";
const INCOMING = `00-${REQUEST_TRACE}-${REQUEST_PARENT}-01`;
/** The trace the producer says the event started in: another trace altogether. */
const PRODUCERS_OWN = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const MAX_PAYLOAD = 4096;

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let t: TracedNatsGateway;

/** What the gateway logged: each line's fields. */
const logged: Record<string, unknown>[] = [];
const record = (fields: object) => {
  logged.push(fields as Record<string, unknown>);
};
const recording = { debug: record, info: record, warn: record, error: record };

beforeAll(async () => {
  provider.register();
  t = await startTracedNatsGateway({
    maxPayload: MAX_PAYLOAD,
    logger: recording,
    config: (where) => ({
      targets: {
        bus: { type: "nats", url: where.nats, subject: "events.{type}" },
        web: { type: "http", url: `${where.receiver}/hook?token=not-in-spans` },
        refusing: { type: "http", url: `${where.receiver}/refuse` },
      },
      routes: [
        { name: "orders", filters: [{ prefix: { type: "com.example.parcel" } }], to: ["bus", "web"] },
        {
          name: "traced",
          filters: [{ prefix: { type: "com.example.traced" } }],
          to: ["bus"],
          trace: { addExtension: true },
        },
        { name: "refused", filters: [{ exact: { type: "com.example.refused" } }], to: ["refusing"] },
      ],
    }),
  });
}, 30_000);

afterAll(async () => {
  await t?.close();
  await provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
});

beforeEach(() => {
  exporter.reset();
  t.reset();
});

const post = (event: Record<string, unknown>, headers: Record<string, string> = { traceparent: INCOMING }) =>
  t.post(event, headers);

const spanNamed = (name: string): ReadableSpan | undefined =>
  exporter.getFinishedSpans().find((span) => span.name === name);
const parentOf = (traceparent: string | undefined) => traceparent?.split("-")[2];
const traceOf = (traceparent: string | undefined) => traceparent?.split("-")[1];

describe("log lines of a traced request", () => {
  it("carry the trace id of the request's span beside its request id", async () => {
    const response = await post(structuredEvent({ id: "logged-1", type: "com.example.parcel.logged" }), {
      traceparent: INCOMING,
      "x-request-id": "traced-request-1",
    });
    expect(response.status).toBe(202);
    await until("the delivered line", () =>
      logged.find((line) => line.requestId === "traced-request-1" && line.target === "bus"),
    );
    const lines = logged.filter((line) => line.requestId === "traced-request-1");
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((line) => line.traceId === REQUEST_TRACE)).toBe(true);
  });
});

describe("a request with traceparent, through the gateway to NATS and HTTP", () => {
  it("gives each hop the gateway's PRODUCER span as parent, in the request's trace, and keeps the event's own extension", async () => {
    const response = await post(
      structuredEvent({ id: "order-1", type: "com.example.parcel.sent", traceparent: PRODUCERS_OWN }),
    );
    expect(response.status, await response.clone().text()).toBe(202);
    const onNats = await until("the NATS message", () => t.received[0]);
    const server = await until("the SERVER span", () => spanNamed("POST /events"));
    const toNats = spanNamed("send bus") as ReadableSpan;
    const toWeb = spanNamed("send web") as ReadableSpan;

    // The request's span is a child of the incoming traceparent.
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.spanContext().traceId).toBe(REQUEST_TRACE);
    expect(server.parentSpanContext?.spanId).toBe(REQUEST_PARENT);
    expect(server.parentSpanContext?.isRemote).toBe(true);
    expect(server.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.route": "/events",
      "http.response.status_code": 202,
      "ce_gateway.request_id": response.headers.get("x-request-id"),
    });

    // One PRODUCER span per target publish, children of the request's span.
    for (const producer of [toNats, toWeb]) {
      expect(producer.kind).toBe(SpanKind.PRODUCER);
      expect(producer.spanContext().traceId).toBe(REQUEST_TRACE);
      expect(producer.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
      expect(producer.status.code).not.toBe(SpanStatusCode.ERROR);
    }
    const port = new URL(t.nats.url).port;
    expect(toNats.attributes).toMatchObject({
      "messaging.system": "nats",
      "messaging.operation.type": "send",
      "messaging.destination.name": "events.com.example.parcel.sent",
      "server.address": "127.0.0.1",
      "server.port": Number(port),
      "cloudevents.event_id": "order-1",
      "ce_gateway.target": "bus",
    });
    // The HTTP target's URL (its query may hold a secret) is not in the span: the target's name is.
    expect(toWeb.attributes).toMatchObject({
      "messaging.system": "http",
      "messaging.destination.name": "web",
      "server.address": "127.0.0.1",
    });
    expect(JSON.stringify(exporter.getFinishedSpans().map((s) => s.attributes))).not.toContain(
      "not-in-spans",
    );

    // The NATS subscriber sees this hop's context in the message headers...
    const hop = onNats.headers.get("traceparent");
    expect(traceOf(hop)).toBe(REQUEST_TRACE);
    expect(parentOf(hop)).toBe(toNats.spanContext().spanId);
    // ...and the event's own extension as the producer sent it.
    expect(onNats.event.extensions.get("traceparent")).toBe(PRODUCERS_OWN);

    // The HTTP target receives traceparent as an HTTP header; the extension stays the event's.
    const delivered = await until("the HTTP delivery", () => t.receiver.requests[0]);
    expect(traceOf(delivered.headers.traceparent)).toBe(REQUEST_TRACE);
    expect(parentOf(delivered.headers.traceparent)).toBe(toWeb.spanContext().spanId);
    // Binary mode: the event's extension is its own header, `ce-traceparent`.
    expect(delivered.headers["ce-traceparent"]).toBe(PRODUCERS_OWN);
  });

  it("starts a new trace when the request brings none, and still hands it on", async () => {
    const response = await post(structuredEvent({ id: "order-2", type: "com.example.parcel.sent" }), {});
    expect(response.status).toBe(202);
    const onNats = await until("the NATS message", () => t.received[0]);
    const server = await until("the SERVER span", () => spanNamed("POST /events"));
    expect(server.parentSpanContext).toBeUndefined();
    expect(traceOf(onNats.headers.get("traceparent"))).toBe(server.spanContext().traceId);
    // No route asks for the extension: the event goes as it came.
    expect(onNats.event.extensions.has("traceparent")).toBe(false);
  });

  it("marks a PRODUCER span whose target refused the event as an error", async () => {
    const response = await post(structuredEvent({ id: "refused-1", type: "com.example.refused" }));
    expect(response.status).toBe(502);
    const producer = await until("the PRODUCER span", () => spanNamed("send refusing"));
    expect(producer.status.code).toBe(SpanStatusCode.ERROR);
    expect(producer.attributes["error.type"]).toBe("400");
    // 502 is the gateway's failure to deliver: the request's span is an error too.
    const server = spanNamed("POST /events") as ReadableSpan;
    expect(server.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe("trace: { addExtension: true }", () => {
  it("adds the extension naming the gateway's request span to an event without one", async () => {
    const response = await post(structuredEvent({ id: "t-1", type: "com.example.traced" }));
    expect(response.status).toBe(202);
    const onNats = await until("the NATS message", () => t.received[0]);
    const server = await until("the SERVER span", () => spanNamed("POST /events"));
    expect(onNats.event.extensions.get("traceparent")).toBe(
      `00-${REQUEST_TRACE}-${server.spanContext().spanId}-01`,
    );
  });

  it("never changes a producer's extension", async () => {
    const response = await post(
      structuredEvent({
        id: "t-2",
        type: "com.example.traced",
        traceparent: PRODUCERS_OWN,
        tracestate: "p=1",
      }),
    );
    expect(response.status).toBe(202);
    const onNats = await until("the NATS message", () => t.received[0]);
    expect(onNats.event.extensions.get("traceparent")).toBe(PRODUCERS_OWN);
    expect(onNats.event.extensions.get("tracestate")).toBe("p=1");
  });

  it("sizes the event with the added extension against the target's max_payload", async () => {
    // Learn the server's max_payload, then find an event that fits only without the extension.
    await post(structuredEvent({ id: "warm", type: "com.example.parcel.sent" }));
    const sized = (data: string) => structuredEvent({ id: "big", type: "com.example.parcel.sent", data });
    let padding = MAX_PAYLOAD - 400;
    // The first size the route without the extension refuses tells how large the event is.
    const refusedAt = async (length: number) => {
      const r = await post(sized("x".repeat(length)));
      return r.status;
    };
    while ((await refusedAt(padding)) === 202) padding += 16;
    padding -= 16; // the largest that fits as received (to 16 bytes)
    const asReceived = await post(
      structuredEvent({ id: "big", type: "com.example.parcel.sent", data: "x".repeat(padding) }),
    );
    expect(asReceived.status).toBe(202);
    const withExtension = await post(
      structuredEvent({ id: "big", type: "com.example.traced", data: "x".repeat(padding) }),
    );
    expect(withExtension.status).toBe(413);
    expect(JSON.stringify(await withExtension.json())).toContain(`carries at most ${MAX_PAYLOAD}`);
  });
});
