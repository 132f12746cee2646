/**
 * Ingest cost per request, in process (no sockets): ce-gateway against a
 * minimal Hono handler and a handler built on the official `cloudevents` SDK.
 */
import { CloudEvent, HTTP } from "cloudevents";
import { Hono } from "hono";
import { createMemoryAdapter } from "../dist/adapters/memory/index.js";
import { createGateway } from "../dist/src/index.js";
import { compare } from "./harness.js";

const discard = createMemoryAdapter({ maxEvents: 1 });
const gateway = createGateway({ routes: [{ name: "all", to: ["sink"] }] }, { targets: { sink: discard } });

/** The least a handler can do: read the JSON body and answer 202. */
const minimal = new Hono().post("/events", async (c) => {
  const event = await c.req.json();
  return c.json({ accepted: 1, events: [{ id: event.id }] }, 202);
});

/** A gateway as one would write it with the SDK: parse, validate, answer. */
const sdkBased = new Hono().post("/events", async (c) => {
  const headers = Object.fromEntries(c.req.raw.headers);
  const event = HTTP.toEvent({ headers, body: await c.req.text() });
  event.validate();
  return c.json({ accepted: 1, events: [{ id: event.id }] }, 202);
});

const data = {
  orderId: 1001,
  customer: "c-7",
  lines: Array.from({ length: 12 }, (_, i) => ({ sku: `sku-${i}`, qty: i, price: 9.99 })),
};
const structured = JSON.stringify(
  new CloudEvent({
    id: "1",
    source: "/shop/eu",
    type: "com.example.order.created",
    datacontenttype: "application/json",
    data,
  }).toJSON(),
);
const binaryHeaders = {
  "ce-specversion": "1.0",
  "ce-id": "1",
  "ce-source": "/shop/eu",
  "ce-type": "com.example.order.created",
  "content-type": "application/json",
};
const binaryBody = JSON.stringify(data);

const post = (app, headers, body) => async () => {
  const response = await app.request("/events", { method: "POST", headers, body });
  if (response.status !== 202) throw new Error(`status ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
};

export async function run() {
  const structuredHeaders = { "content-type": "application/cloudevents+json" };
  await compare(`structured mode, ${structured.length}-byte event`, {
    "minimal Hono handler (baseline)": post(minimal, structuredHeaders, structured),
    "cloudevents SDK handler": post(sdkBased, structuredHeaders, structured),
    "ce-gateway": post(gateway, structuredHeaders, structured),
  });
  await compare(`binary mode, ${binaryBody.length}-byte data`, {
    "minimal Hono handler (baseline)": post(minimal, { "content-type": "application/json" }, binaryBody),
    "cloudevents SDK handler": post(sdkBased, binaryHeaders, binaryBody),
    "ce-gateway": post(gateway, binaryHeaders, binaryBody),
  });
}
