/**
 * The gateway with a NATS JetStream target, end to end against a real
 * nats-server: what a consumer reads, duplicates, and outages (stopped and
 * frozen server). Tests in this file run in order and share one server.
 */
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageIdOf } from "../../adapters/nats/message-id.js";
import { decodeNatsMessage } from "../../src/bindings/nats/decode.js";
import { createGateway, type Gateway } from "../../src/entries/node/create-gateway.js";
import { binaryHeaders, problemOf } from "../support/gateway.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";

let server: NatsServer;
let client: NatsConnection;
let gateway: Gateway;

beforeAll(async () => {
  server = await startNatsServer();
  client = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  const jsm = await jetstreamManager(client);
  await jsm.streams.add({ name: "EVENTS", subjects: ["events.>"], duplicate_window: 120_000_000_000 });
  await client.close();
  gateway = createGateway({
    targets: {
      bus: {
        type: "nats",
        url: server.url,
        subject: "events.{type}",
        jetstream: { stream: "EVENTS" },
        reconnectWaitMs: 100,
        timeoutMs: 1_000,
      },
    },
    routes: [{ name: "all", to: ["bus"] }],
    delivery: { timeoutMs: 1_500 },
  });
}, 30_000);

afterAll(async () => {
  await gateway?.close();
  await server?.dispose();
});

const post = (id: string, body = '{"amount":1.50,"big":12345678901234567890}') =>
  gateway.request("/events", {
    method: "POST",
    headers: binaryHeaders({
      "ce-id": id,
      "ce-type": "com.example.paid",
      "ce-note": "Euro%20%E2%82%AC",
      "content-type": "application/json",
    }),
    body,
  });

async function readStream(): Promise<{ subject: string; headers: [string, string[]][]; data: Uint8Array }[]> {
  const nc = await connect({ servers: server.url });
  try {
    const js = jetstream(nc);
    const consumer = await js.consumers.get("EVENTS");
    const messages = [];
    const info = await (await jetstreamManager(nc)).streams.info("EVENTS");
    for (let i = 0; i < info.state.messages; i++) {
      const m = await consumer.next({ expires: 2_000 });
      if (m === null) break;
      messages.push({ subject: m.subject, headers: m.headers ? [...m.headers] : [], data: m.data });
    }
    return messages;
  } finally {
    await nc.close();
  }
}

async function connectionCount(): Promise<number> {
  const varz = (await (await fetch(`${server.monitorUrl}/varz`)).json()) as { connections: number };
  return varz.connections;
}

describe("HTTP POST -> JetStream -> consumer", () => {
  it("stores the exact event, which a consumer reads back unchanged", async () => {
    const response = await post("pay-1");
    expect(response.status).toBe(202);
    const [stored] = await readStream();
    expect(stored?.subject).toBe("events.com.example.paid");
    expect(new TextDecoder().decode(stored?.data)).toBe('{"amount":1.50,"big":12345678901234567890}');
    const event = decodeNatsMessage(stored?.headers ?? [], stored?.data ?? new Uint8Array());
    expect(event.attributes).toMatchObject({
      id: "pay-1",
      type: "com.example.paid",
      datacontenttype: "application/json",
    });
    expect(event.extensions.get("note")).toBe("Euro €");
    const msgId = stored?.headers.find(([k]) => k === "Nats-Msg-Id")?.[1][0];
    expect(msgId).toBe(messageIdOf(event));
    // Independently: hex SHA-256 of source, newline, id.
    const { createHash } = await import("node:crypto");
    expect(msgId).toBe(createHash("sha256").update("/test/source\npay-1").digest("hex"));
  });

  it("stores the same event twice only once, and says so", async () => {
    const response = await post("pay-1");
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      accepted: 1,
      events: [{ id: "pay-1", source: "/test/source", duplicate: true }],
    });
    expect(await readStream()).toHaveLength(1);
  });
});

describe("outages", () => {
  it("answers 503 while the server is down, and 202 again on the same connection once it is back", async () => {
    const adapter = await gateway.state.targets.get("bus");
    await server.stop();
    await expect.poll(() => adapter.ready(), { timeout: 10_000 }).toBe(false);
    const during = await post("pay-down");
    expect(during.status).toBe(503);
    expect(Number(during.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await problemOf(during)).errors?.[0]).toMatchObject({
      target: "bus",
      code: "delivery-retriable",
    });

    await server.restart();
    await expect.poll(() => adapter.ready(), { timeout: 15_000 }).toBe(true);
    expect((await post("pay-up")).status).toBe(202);
    expect(await gateway.state.targets.get("bus")).toBe(adapter);
    expect(await connectionCount()).toBe(1);
    // Nothing published while down reached the stream later: only acked events are stored.
    const ids = (await readStream()).map((m) => decodeNatsMessage(m.headers, m.data).attributes.id);
    expect(ids).toEqual(["pay-1", "pay-up"]);
  });

  it("answers 503 within the deadline when the server stops answering, not a hang", async () => {
    const adapter = await gateway.state.targets.get("bus");
    await expect.poll(() => adapter.ready(), { timeout: 15_000 }).toBe(true);
    await server.pause();
    try {
      const started = Date.now();
      const response = await post("pay-frozen");
      expect(response.status, await response.clone().text()).toBe(503);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      server.resume();
    }
    await expect
      .poll(async () => (await post(`pay-thawed-${Date.now()}`)).status, { timeout: 15_000 })
      .toBe(202);
  });
});
