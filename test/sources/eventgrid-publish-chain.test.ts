/**
 * One gateway publishing to another through Event Grid's APIs: the first
 * one's `eventgrid` target (its REST sender for a namespace topic, the
 * @azure/eventgrid SDK for a topic) sends to the second one's eventgrid-publish
 * source over real HTTP. No official namespace client is installed
 * (@azure/eventgrid-namespaces), so the namespace API is exercised by the
 * gateway's own sender, which follows the documented REST request.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, type Gateway } from "../../src/entries/node/create-gateway.js";
import { type ListeningGateway, listeningGateway } from "../support/listening-gateway.js";

const KEY = randomBytes(32).toString("base64");

let receiving: ListeningGateway;
let publishing: Gateway;

beforeAll(async () => {
  receiving = await listeningGateway({
    ingest: {
      sources: [
        { path: "/topics/{topic}:publish", type: "eventgrid-publish", namespace: true, accessKeys: [KEY] },
        { path: "/api/events", type: "eventgrid-publish", accessKeys: [KEY] },
      ],
    },
  });
  publishing = createGateway({
    targets: {
      namespace: {
        type: "eventgrid",
        api: "rest",
        endpoint: receiving.url,
        namespaceTopic: "orders",
        key: KEY,
        allowInsecure: true,
      },
      topic: { type: "eventgrid", endpoint: `${receiving.url}/api/events`, key: KEY, allowInsecure: true },
    },
    routes: [
      { name: "to-namespace", filters: [{ exact: { type: "com.example.ns" } }], to: ["namespace"] },
      { name: "to-topic", filters: [{ exact: { type: "com.example.topic" } }], to: ["topic"] },
    ],
  });
});

afterAll(async () => {
  await Promise.all([publishing?.close(), receiving?.close()]);
});

const publish = (type: string, id: string) =>
  publishing.request("/events", {
    method: "POST",
    headers: { "content-type": "application/cloudevents+json" },
    body: JSON.stringify({ specversion: "1.0", type, source: "/chain", id, data: { id } }),
  });

describe("eventgrid-publish behind another gateway's eventgrid target", () => {
  it("namespace: the target's :publish request is accepted (200 {}), the event arrives as sent", async () => {
    const response = await publish("com.example.ns", "ns-1");
    expect(response.status, await response.clone().text()).toBe(202);
    expect(receiving.received().map((e) => e.attributes.id)).toContain("ns-1");
  });

  it("topic: the SDK sender's request is accepted, the event arrives as sent", async () => {
    const response = await publish("com.example.topic", "topic-1");
    expect(response.status, await response.clone().text()).toBe(202);
    expect(receiving.received().map((e) => e.attributes.id)).toContain("topic-1");
  });

  it("namespace: the answer is 200 {}, and an aeg-sas-key is not a namespace credential", async () => {
    const event = JSON.stringify([{ specversion: "1.0", type: "t", source: "/s", id: "raw-1" }]);
    const url = `${receiving.url}/topics/orders:publish?api-version=2024-06-01`;
    const headers = { "content-type": "application/cloudevents-batch+json; charset=utf-8" };
    const ok = await fetch(url, {
      method: "POST",
      headers: { ...headers, authorization: `SharedAccessKey ${KEY}` },
      body: event,
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({});
    const refused = await fetch(url, {
      method: "POST",
      headers: { ...headers, "aeg-sas-key": KEY },
      body: event,
    });
    expect(refused.status).toBe(401);
    const eventGridSchema = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `SharedAccessKey ${KEY}` },
      body: "[]",
    });
    expect(eventGridSchema.status).toBe(415);
  });
});
