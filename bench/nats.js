/**
 * Into NATS core and JetStream through the gateway, beside a minimal
 * hand-written handler doing the least the same job needs (Hono, JSON.parse,
 * a compiled JSON Schema check, publish, flush or PubAck), in the same run:
 * single events and batches of 100. Target: the gateway at >= 0.9x the
 * handler's events/s.
 */
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { headers as natsHeaders } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { Ajv } from "ajv";
import { Hono } from "hono";
import { createGateway } from "../dist/src/index.js";
import { compare } from "./harness.js";
import { startBenchNats } from "./nats-server.js";

const eventSchema = {
  type: "object",
  required: ["specversion", "id", "source", "type"],
  properties: {
    specversion: { const: "1.0" },
    id: { type: "string", minLength: 1 },
    source: { type: "string", minLength: 1 },
    type: { type: "string", minLength: 1 },
  },
};

function minimalHandler(nc, useJetStream) {
  const validate = new Ajv().compile(eventSchema);
  const js = jetstream(nc);
  const encoder = new TextEncoder();
  return new Hono().post("/events", async (c) => {
    const parsed = await c.req.json();
    const events = Array.isArray(parsed) ? parsed : [parsed];
    if (!events.every((e) => validate(e))) return c.json({ error: "invalid" }, 400);
    if (useJetStream) {
      await Promise.all(
        events.map((e) => {
          const h = natsHeaders();
          h.set("content-type", "application/cloudevents+json");
          return js.publish(`bench.${e.type}`, encoder.encode(JSON.stringify(e)), {
            msgID: `${e.source}:${e.id}`,
            headers: h,
          });
        }),
      );
    } else {
      for (const e of events) nc.publish(`bench.${e.type}`, encoder.encode(JSON.stringify(e)));
      await nc.flush();
    }
    return c.json({ accepted: events.length }, 202);
  });
}

let sequence = 0;
const event = () => ({
  specversion: "1.0",
  id: `e-${sequence++}`,
  source: "/bench",
  type: "com.example.bench",
  datacontenttype: "application/json",
  data: { order: sequence, total: 12.5, lines: [1, 2, 3] },
});

const post = (app, batch) => async () => {
  const body = batch ? JSON.stringify(Array.from({ length: 100 }, event)) : JSON.stringify(event());
  const contentType = batch ? "application/cloudevents-batch+json" : "application/cloudevents+json";
  const response = await app.request("/events", {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  });
  if (response.status !== 202) throw new Error(`status ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
};

export async function run() {
  const server = await startBenchNats();
  const nc = await connect({ servers: server.url });
  try {
    await (await jetstreamManager(nc)).streams.add({
      name: "BENCH",
      subjects: ["bench.>"],
      storage: "memory",
      max_msgs: 100_000,
    });
    for (const useJetStream of [false, true]) {
      const gateway = createGateway({
        targets: {
          bus: {
            type: "nats",
            url: server.url,
            subject: "bench.{type}",
            mode: "structured",
            ...(useJetStream && { jetstream: {} }),
          },
        },
        routes: [{ name: "all", to: ["bus"] }],
      });
      const minimal = minimalHandler(nc, useJetStream);
      const label = useJetStream ? "JetStream" : "NATS core";
      for (const batch of [false, true]) {
        await compare(
          `${label}, ${batch ? "batches of 100 events" : "single events"} (baseline: minimal handler)`,
          {
            "minimal handler": post(minimal, batch),
            "ce-gateway": post(gateway, batch),
          },
        );
      }
      await gateway.close();
    }
  } finally {
    await nc.close();
    await server.stop();
  }
}
