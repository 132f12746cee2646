/**
 * A gateway built on the official `cloudevents` SDK, as its docs suggest:
 * `HTTP.toEvent` (all three modes; it validates the attributes), Ajv on the
 * data, then the structured event into NATS core (no flush) or JetStream
 * (awaiting the PubAck, msgID source + id), or nowhere with `--target none`.
 */
import { serve } from "@hono/node-server";
import { Ajv } from "ajv";
import { HTTP } from "cloudevents";
import { Hono } from "hono";
import { natsPublisher } from "./nats-out.js";
import { ORDER_SCHEMA } from "./order-schema.js";
import { serverOptions } from "./server-options.js";

const { port, natsUrl, target } = serverOptions();
const publish = await natsPublisher(target, natsUrl);
const validate = new Ajv().compile(ORDER_SCHEMA);
const encoder = new TextEncoder();

const app = new Hono();
app.get("/healthz", (c) => c.text("ok"));
app.post("/events", async (c) => {
  const headers = Object.fromEntries(c.req.raw.headers);
  let received;
  try {
    received = HTTP.toEvent({ headers, body: await c.req.text() });
  } catch (error) {
    return c.json({ error: String(error) }, 400);
  }
  const events = Array.isArray(received) ? received : [received];
  if (!events.every((e) => validate(e.data))) return c.json({ error: "schema" }, 422);
  if (publish !== undefined)
    await Promise.all(
      events.map((e) => publish(`perf.${e.type}`, encoder.encode(JSON.stringify(e)), `${e.source}#${e.id}`)),
    );
  return c.body(null, 202);
});
app.onError((error, c) => c.json({ error: String(error) }, 502));
serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
