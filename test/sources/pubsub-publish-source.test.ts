/**
 * `type: pubsub-publish` with the official client: @google-cloud/pubsub
 * publishes through the gateway (REST fallback over plain HTTP, the
 * gateway's API key) as it would to Pub/Sub; the message ids it gets back
 * are the ids of the events the target received. Refusals are problem+json
 * naming the member at fault.
 */
import { PubSub } from "@google-cloud/pubsub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CloudEvent } from "../../src/event/cloud-event.js";
import { toJsonFormat } from "../../src/event/json-format.js";
import { type ListeningGateway, listeningGateway } from "../support/listening-gateway.js";

const API_KEY = "pubsub-publish-test-key-0123456789";
const PUBLISH_PATH = "/v1/projects/{project}/topics/{topic}:publish";

const asJson = (event: CloudEvent) =>
  JSON.parse(new TextDecoder().decode(toJsonFormat(event))) as Record<string, unknown>;

let gateway: ListeningGateway;

beforeAll(async () => {
  gateway = await listeningGateway({
    ingest: { sources: [{ path: PUBLISH_PATH, type: "pubsub-publish", apiKeys: [API_KEY] }] },
  });
});

afterAll(async () => {
  await gateway?.close();
});

/** The client setup the README documents: REST fallback, plain HTTP, the gateway's API key. */
const client = (apiKey = API_KEY) => {
  // A variable, not a literal: the client's ClientConfig type does not list fallback and protocol (google-gax options it passes on).
  const options = {
    projectId: "shop",
    apiEndpoint: gateway.url.replace(/^http:\/\//, ""),
    fallback: true,
    protocol: "http",
    apiKey,
  };
  return new PubSub(options);
};

const receivedSince = (before: number) => gateway.received().slice(before).map(asJson);

describe("pubsub-publish with the official @google-cloud/pubsub client", () => {
  it("a plain message becomes messagePublished; the returned id is the event's", async () => {
    const before = gateway.received().length;
    const id = await client()
      .topic("orders")
      .publishMessage({ data: Buffer.from('{"orderId":7}'), attributes: { origin: "web" } });
    const [event] = receivedSince(before);
    expect(event).toMatchObject({
      specversion: "1.0",
      id,
      type: "google.cloud.pubsub.topic.v1.messagePublished",
      source: "//pubsub.googleapis.com/projects/shop/topics/orders",
      datacontenttype: "application/json",
      data: {
        message: {
          attributes: { origin: "web" },
          data: Buffer.from('{"orderId":7}').toString("base64"),
          messageId: id,
        },
      },
    });
    const data = event?.data as { message: { publishTime: string } };
    expect(data.message.publishTime).toBe(event?.time);
    expect(Date.parse(data.message.publishTime)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("a message with ce- attributes is that CloudEvent (binary mode), its id returned", async () => {
    const before = gateway.received().length;
    const id = await client()
      .topic("orders")
      .publishMessage({
        data: Buffer.from('{"orderId":8}'),
        attributes: {
          "ce-specversion": "1.0",
          "ce-id": "order-8",
          "ce-type": "com.example.order.created",
          "ce-source": "/shop",
          "ce-subject": "o-8",
          "content-type": "application/json",
          unrelated: "dropped",
        },
      });
    expect(id).toBe("order-8");
    expect(receivedSince(before)).toEqual([
      {
        specversion: "1.0",
        id: "order-8",
        type: "com.example.order.created",
        source: "/shop",
        subject: "o-8",
        datacontenttype: "application/json",
        data: { orderId: 8 },
      },
    ]);
  });

  it("a structured CloudEvent message, and an ordering key as partitionkey", async () => {
    const before = gateway.received().length;
    const structured = { specversion: "1.0", id: "s-1", type: "com.example.s", source: "/s", data: { n: 1 } };
    const topic = client().topic("orders", { messageOrdering: true });
    const id = await topic.publishMessage({
      data: Buffer.from(JSON.stringify(structured)),
      attributes: { "content-type": "application/cloudevents+json; charset=utf-8" },
      orderingKey: "customer-1",
    });
    expect(id).toBe("s-1");
    expect(receivedSince(before)).toEqual([{ ...structured, partitionkey: "customer-1" }]);
  });

  it("messages batched into one request: ids come back in order", async () => {
    const before = gateway.received().length;
    const topic = client().topic("audit", { batching: { maxMessages: 10, maxMilliseconds: 50 } });
    const ids = await Promise.all(
      [1, 2, 3].map((n) => topic.publishMessage({ data: Buffer.from(`line ${n}`) })),
    );
    const events = receivedSince(before);
    expect(events.map((e) => e.id)).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
    expect(events.map((e) => (e.data as { message: { data: string } }).message.data)).toEqual(
      [1, 2, 3].map((n) => Buffer.from(`line ${n}`).toString("base64")),
    );
  });

  it("a wrong API key is refused, and nothing is delivered", async () => {
    const before = gateway.received().length;
    await expect(
      client("not-the-key-of-this-gateway")
        .topic("orders")
        .publishMessage({ data: Buffer.from("x") }),
    ).rejects.toThrow();
    expect(gateway.refusals().at(-1)).toContain("matches none of the apiKeys");
    expect(gateway.received().length).toBe(before);
  });
});

describe("pubsub-publish refusals", () => {
  const publish = (body: unknown, path = "/v1/projects/shop/topics/orders:publish") =>
    fetch(`${gateway.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify(body),
    });

  it.each([
    ["data that is not base64", { messages: [{ data: "not base64!" }] }, "/messages/0/data"],
    ["no messages", { messages: [] }, "/messages"],
    ["a message with neither data nor attributes", { messages: [{ data: "YQ==" }, {}] }, "/messages/1"],
    [
      "an attribute that is not a string",
      { messages: [{ attributes: { n: 1 } }] },
      "/messages/0/attributes/n",
    ],
  ])("%s is a 400 naming it", async (_name, body, pointer) => {
    const response = await publish(body);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect((await response.json()).errors).toContainEqual(expect.objectContaining({ pointer }));
  });

  it("a CloudEvent message without ce-source is a 400 from the core checks", async () => {
    const response = await publish({
      messages: [{ data: "e30=", attributes: { "ce-specversion": "1.0", "ce-id": "1", "ce-type": "t" } }],
    });
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe("invalid-event");
  });

  it("a path that is not a topic's publish is not this source's (404)", async () => {
    const response = await publish(
      { messages: [{ data: "YQ==" }] },
      "/v1/projects/shop/subscriptions/s:pull",
    );
    expect(response.status).toBe(404);
  });

  it("the Hono app (what the Worker serves) matches the templated path too", async () => {
    const response = await gateway.gateway.request("/v1/projects/p2/topics/t2:publish", {
      method: "POST",
      headers: { "content-type": "application/json", "x-goog-api-key": API_KEY },
      body: JSON.stringify({ messages: [{ data: "YQ==" }] }),
    });
    expect(response.status).toBe(200);
    const { messageIds } = (await response.json()) as { messageIds: string[] };
    const event = gateway.received().find((e) => e.attributes.id === messageIds[0]);
    expect(event?.attributes.source).toBe("//pubsub.googleapis.com/projects/p2/topics/t2");
  });
});
