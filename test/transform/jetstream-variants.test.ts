/**
 * Why a later variant to one target is renamed: JetStream drops a message
 * whose Nats-Msg-Id (from source and id) it has already stored. Two routes
 * that send one event to one stream with different transforms must both be
 * stored, and a redelivered request must be recognised as a duplicate of each.
 */
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeNatsMessage } from "../../src/bindings/nats/decode.js";
import { createGateway, type Gateway } from "../../src/entries/node/create-gateway.js";
import { STRUCTURED, structuredEvent } from "../support/gateway.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";

let server: NatsServer;
let gateway: Gateway;

beforeAll(async () => {
  server = await startNatsServer();
  const nc = await connect({ servers: server.url });
  await (await jetstreamManager(nc)).streams.add({
    name: "EVENTS",
    subjects: ["events.>"],
    duplicate_window: 120_000_000_000,
  });
  await nc.close();
  gateway = createGateway({
    targets: {
      bus: { type: "nats", url: server.url, subject: "events.{type}", jetstream: { stream: "EVENTS" } },
    },
    routes: [
      { name: "as-received", to: ["bus"] },
      { name: "analytics", to: ["bus"], transform: { attributes: { type: "'com.example.analytics'" } } },
    ],
  });
}, 30_000);

afterAll(async () => {
  await gateway?.close();
  await server?.dispose();
});

async function storedIds(): Promise<string[]> {
  const nc = await connect({ servers: server.url });
  try {
    const consumer = await jetstream(nc).consumers.get("EVENTS");
    const { state } = await (await jetstreamManager(nc)).streams.info("EVENTS");
    const ids: string[] = [];
    for (let i = 0; i < state.messages; i++) {
      const m = await consumer.next({ expires: 2_000 });
      if (m === null) break;
      const event = decodeNatsMessage(m.headers ? [...m.headers] : [], m.data);
      ids.push(`${event.attributes.id} ${event.attributes.type}`);
    }
    return ids;
  } finally {
    await nc.close();
  }
}

describe("one event to one JetStream stream through two routes", () => {
  const post = () =>
    gateway.request("/events", {
      method: "POST",
      headers: STRUCTURED,
      body: JSON.stringify(structuredEvent({ id: "order-1", type: "com.example.order" })),
    });

  it("stores both variants, the later one under <id>~<route>", async () => {
    const response = await post();
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      accepted: 1,
      events: [{ id: "order-1", source: "/test/source" }],
    });
    expect(await storedIds()).toEqual([
      "order-1 com.example.order",
      "order-1~analytics com.example.analytics",
    ]);
  });

  it("recognises a redelivered request as a duplicate of both", async () => {
    const response = await post();
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      accepted: 1,
      events: [{ id: "order-1", source: "/test/source", duplicate: true }],
    });
    expect(await storedIds()).toHaveLength(2);
  });
});
