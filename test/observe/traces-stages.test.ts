/**
 * The spans of the stages that wait on a store (dedup lookup and record,
 * outbox append) and of retried attempts, through the whole gateway with an
 * SDK registered and an in-memory exporter: each is a child of the
 * request's span, and each attempt at a target is a PRODUCER span of its own.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { acked, retriable } from "../../src/adapter/adapter.js";
import { MemoryOutboxStore } from "../../src/deliver/outbox/memory-outbox-store.js";
import { binaryHeaders, type TestGateway, testGateway } from "../support/gateway.js";
import { type ScriptedAdapter, scriptedAdapter } from "../support/scripted-adapter.js";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const INCOMING = `00-${TRACE}-00f067aa0ba902b7-01`;
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let gw: TestGateway;
let flaky: ScriptedAdapter;
let failuresLeft = 0;

beforeAll(() => {
  provider.register();
  flaky = scriptedAdapter(() => (failuresLeft-- > 0 ? retriable("busy") : acked({ id: "broker-1" })));
  gw = testGateway(
    {
      delivery: { outbox: { type: "log", dir: "unused" }, dedup: { store: { type: "memory" } } },
      targets: { flaky: { type: "scripted", retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 } } },
      routes: [
        { name: "queued", to: ["memory"], ack: "async", filters: [{ exact: { type: "queued" } }] },
        { name: "direct", to: ["memory"], filters: [{ exact: { type: "direct" } }] },
        { name: "retried", to: ["flaky"], filters: [{ exact: { type: "retried" } }] },
      ],
    },
    { flaky },
    { outbox: new MemoryOutboxStore() },
  );
});

afterAll(async () => {
  await gw?.gateway.close();
  await provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
});

beforeEach(() => exporter.reset());

const send = (id: string, type: string) =>
  gw.post({ headers: binaryHeaders({ "ce-id": id, "ce-type": type, traceparent: INCOMING }), body: null });

const spans = () => exporter.getFinishedSpans();
const named = (name: string) => spans().filter((span) => span.name === name);
const serverSpan = () => named("POST /events")[0] as ReadableSpan;

describe("store and attempt spans", () => {
  it("wraps the dedup store's lookup and record around the publish, all children of the request", async () => {
    expect((await send("d-1", "direct")).status).toBe(202);
    const server = serverSpan();
    const [lookup] = named("dedup lookup");
    const [record] = named("dedup record");
    const [publish] = named("send memory");
    for (const child of [lookup, record, publish]) {
      expect(child?.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
      expect(child?.spanContext().traceId).toBe(TRACE);
    }
    expect(lookup?.kind).toBe(SpanKind.CLIENT);
    expect(record?.kind).toBe(SpanKind.CLIENT);
    expect(lookup?.attributes["ce_gateway.event_count"]).toBe(1);
    // Timing: looked up before the publish started, recorded after it ended.
    const ms = (t: [number, number]) => t[0] * 1e3 + t[1] / 1e6;
    expect(ms(lookup?.endTime as [number, number])).toBeLessThanOrEqual(
      ms(publish?.startTime as [number, number]),
    );
    expect(ms(record?.startTime as [number, number])).toBeGreaterThanOrEqual(
      ms(publish?.endTime as [number, number]),
    );
  });

  it("spans the outbox append of an event accepted async; its later delivery starts a trace of its own", async () => {
    expect((await send("q-1", "queued")).status).toBe(202);
    const server = serverSpan();
    const [append] = named("outbox append");
    expect(append?.kind).toBe(SpanKind.CLIENT);
    expect(append?.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    await expect.poll(() => named("send memory").length, { timeout: 5_000 }).toBe(1);
    const [dispatched] = named("send memory");
    expect(dispatched?.parentSpanContext).toBeUndefined();
    expect(dispatched?.spanContext().traceId).not.toBe(TRACE);
  });

  it("makes one PRODUCER span per attempt: the retried one an error, the last one not", async () => {
    failuresLeft = 1;
    expect((await send("r-1", "retried")).status).toBe(202);
    const attempts = named("send flaky");
    expect(attempts).toHaveLength(2);
    expect(attempts.map((span) => span.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.UNSET]);
    expect(attempts[0]?.attributes["error.type"]).toBe("retriable");
    expect(attempts[1]?.attributes["messaging.message.id"]).toBe("broker-1");
    for (const attempt of attempts)
      expect(attempt.parentSpanContext?.spanId).toBe(serverSpan().spanContext().spanId);
  });
});
