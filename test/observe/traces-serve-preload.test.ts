/**
 * Tracing as an operator enables it: `ce-gateway serve` (the built CLI, a
 * process of its own) with an SDK registered by a preload
 * (`node --import`), a request with `traceparent`, a real nats-server, and a
 * NATS subscriber that reads the hop's `traceparent` header. The preload's
 * exporter writes the gateway's spans to a file this test reads.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeNatsMessage } from "../../src/bindings/nats/decode.js";
import type { CloudEvent } from "../../src/event/cloud-event.js";
import { type RunningCli, startCli } from "../support/cli-process.js";
import { STRUCTURED, structuredEvent } from "../support/gateway.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT = "00f067aa0ba902b7";
const PRODUCERS_OWN = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const preload = fileURLToPath(new URL("../support/otel-file-preload.mjs", import.meta.url));

interface ExportedSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}

let nats: NatsServer;
let cli: RunningCli;
let nc: NatsConnection;
let spansFile: string;
const received: { traceparent: string | undefined; event: CloudEvent }[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  nc.subscribe("events.>", {
    callback: (_error, message) => {
      const headers = message.headers ? [...message.headers] : [];
      const traceparent = headers.find(([name]) => name.toLowerCase() === "traceparent")?.[1][0];
      received.push({ traceparent, event: decodeNatsMessage(headers, message.data) });
    },
  });
  await nc.flush();
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-traces-"));
  spansFile = join(dir, "spans.jsonl");
  const config = join(dir, "gateway.json");
  writeFileSync(
    config,
    JSON.stringify({
      targets: { bus: { type: "nats", url: nats.url, subject: "events.{type}" } },
      routes: [{ name: "all", to: ["bus"] }],
    }),
  );
  cli = await startCli(["serve", "--config", config, "--port", "0"], { OTEL_TEST_SPANS_FILE: spansFile }, [
    "--import",
    preload,
  ]);
}, 30_000);

afterAll(async () => {
  await cli?.stop();
  await nc?.close();
  await nats?.dispose();
});

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const exported = (): ExportedSpan[] =>
  existsSync(spansFile)
    ? readFileSync(spansFile, "utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as ExportedSpan)
    : [];

describe("ce-gateway serve with an SDK registered by a preload", () => {
  it("hands the request's trace to NATS under its PRODUCER span, the event's extension untouched", async () => {
    const response = await fetch(`${cli.url}/events`, {
      method: "POST",
      headers: { ...STRUCTURED, traceparent: `00-${TRACE}-${PARENT}-01` },
      body: JSON.stringify(
        structuredEvent({ id: "s-1", type: "com.example.parcel.sent", traceparent: PRODUCERS_OWN }),
      ),
    });
    expect(response.status).toBe(202);
    const message = await until("the NATS message", () => received[0]);
    const spans = await until("both spans", () => {
      const all = exported();
      return all.length >= 2 ? all : undefined;
    });
    const server = spans.find((s) => s.name === "POST /events") as ExportedSpan;
    const producer = spans.find((s) => s.name === "send bus") as ExportedSpan;
    expect(server).toMatchObject({ kind: 1, traceId: TRACE, parentSpanId: PARENT }); // SpanKind.SERVER
    expect(producer).toMatchObject({ kind: 3, traceId: TRACE, parentSpanId: server.spanId }); // SpanKind.PRODUCER
    expect(producer.attributes).toMatchObject({
      "messaging.system": "nats",
      "messaging.operation.type": "send",
    });
    expect(message.traceparent).toBe(`00-${TRACE}-${producer.spanId}-01`);
    expect(message.event.extensions.get("traceparent")).toBe(PRODUCERS_OWN);
  });
});
