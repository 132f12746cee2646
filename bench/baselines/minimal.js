/**
 * The "minimal handler": the least code that does the gateway's job for one
 * event type, written by hand. Hono, JSON.parse, the four required
 * attributes, Ajv on the data, then NATS core (no flush) or JetStream
 * (awaiting the PubAck, msgID source + id), or nothing with `--target none`.
 * One handler per ingest mode, chosen at start, so no request pays for a
 * content-type switch. Binary mode forwards the ce-* headers as NATS headers:
 * without them the message would lose the event's identity.
 */
import { serve } from "@hono/node-server";
import { headers as natsHeaders } from "@nats-io/transport-node";
import { Ajv } from "ajv";
import { Hono } from "hono";
import { natsPublisher } from "./nats-out.js";
import { ORDER_SCHEMA } from "./order-schema.js";
import { serverOptions } from "./server-options.js";

const { port, natsUrl, target, mode } = serverOptions();
const publish = await natsPublisher(target, natsUrl);
const validate = new Ajv().compile(ORDER_SCHEMA);
const decoder = new TextDecoder();
const encoder = new TextEncoder();

const isEvent = (e) =>
  e !== null &&
  typeof e === "object" &&
  e.specversion === "1.0" &&
  typeof e.id === "string" &&
  e.id !== "" &&
  typeof e.source === "string" &&
  e.source !== "" &&
  typeof e.type === "string" &&
  e.type !== "";

const bodyBytes = async (c) => new Uint8Array(await c.req.arrayBuffer());

/** @type {Record<string, (c: import("hono").Context) => Promise<Response>>} */
const handlers = {
  async structured(c) {
    const bytes = await bodyBytes(c);
    let event;
    try {
      event = JSON.parse(decoder.decode(bytes));
    } catch {
      return c.json({ error: "malformed JSON" }, 400);
    }
    if (!isEvent(event)) return c.json({ error: "not a CloudEvent" }, 400);
    if (!validate(event.data)) return c.json({ error: "schema", details: validate.errors }, 422);
    await publish?.(`perf.${event.type}`, bytes, `${event.source}#${event.id}`);
    return c.body(null, 202);
  },

  async binary(c) {
    const header = c.req.raw.headers;
    const event = {
      specversion: header.get("ce-specversion"),
      id: header.get("ce-id"),
      source: header.get("ce-source"),
      type: header.get("ce-type"),
    };
    if (!isEvent(event)) return c.json({ error: "not a CloudEvent" }, 400);
    const bytes = await bodyBytes(c);
    let data;
    try {
      data = JSON.parse(decoder.decode(bytes));
    } catch {
      return c.json({ error: "malformed JSON" }, 400);
    }
    if (!validate(data)) return c.json({ error: "schema", details: validate.errors }, 422);
    if (publish !== undefined) {
      const h = natsHeaders();
      for (const [name, value] of header) if (name.startsWith("ce-")) h.set(name, value);
      h.set("content-type", header.get("content-type") ?? "application/json");
      await publish(`perf.${event.type}`, bytes, `${event.source}#${event.id}`, h);
    }
    return c.body(null, 202);
  },

  async batch(c) {
    let events;
    try {
      events = JSON.parse(decoder.decode(await bodyBytes(c)));
    } catch {
      return c.json({ error: "malformed JSON" }, 400);
    }
    if (!Array.isArray(events) || !events.every(isEvent)) return c.json({ error: "not a batch" }, 400);
    if (!events.every((e) => validate(e.data))) return c.json({ error: "schema" }, 422);
    if (publish !== undefined)
      await Promise.all(
        events.map((e) =>
          publish(`perf.${e.type}`, encoder.encode(JSON.stringify(e)), `${e.source}#${e.id}`),
        ),
      );
    return c.body(null, 202);
  },
};

const app = new Hono();
app.get("/healthz", (c) => c.text("ok"));
app.post("/events", handlers[mode]);
app.onError((error, c) => c.json({ error: String(error) }, 502));
serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
