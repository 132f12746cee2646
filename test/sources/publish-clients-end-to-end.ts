/**
 * The official clients against a running gateway (the Node server, or the
 * built Worker in workerd): @azure/eventgrid with a key over plain HTTP, and
 * @google-cloud/pubsub over its REST fallback with the gateway's API key.
 * What the receiver gets is checked, and the ids the Pub/Sub client returns.
 */

import { AzureKeyCredential, EventGridPublisherClient } from "@azure/eventgrid";
import { PubSub } from "@google-cloud/pubsub";
import { expect, it } from "vitest";
import { EVENTGRID_KEY, PUBSUB_API_KEY } from "./publish-end-to-end-cases.js";

export interface PublishTarget {
  readonly url: string;
  /** The events the receiver got since the `from`th request. */
  receivedSince(from: number): Record<string, unknown>[];
  requestCount(): number;
}

export function publishWithOfficialClients(target: () => PublishTarget): void {
  it("EventGridPublisherClient.send() resolves, and the events arrive", async () => {
    const { url, receivedSince, requestCount } = target();
    const before = requestCount();
    const client = new EventGridPublisherClient(
      `${url}/api/events`,
      "CloudEvent",
      new AzureKeyCredential(EVENTGRID_KEY),
      {
        allowInsecureConnection: true,
        retryOptions: { maxRetries: 0 },
      },
    );
    await client.send([
      { type: "com.example.sdk", source: "/sdk", id: "sdk-eg-1", data: { via: "eventgrid" } },
    ]);
    expect(receivedSince(before)).toEqual([
      expect.objectContaining({ id: "sdk-eg-1", data: { via: "eventgrid" } }),
    ]);
  });

  it("PubSub publishMessage() resolves with the id of the event that arrives", async () => {
    const { url, receivedSince, requestCount } = target();
    const before = requestCount();
    // A variable: the ClientConfig type does not list google-gax's fallback and protocol.
    const options = {
      projectId: "shop",
      apiEndpoint: url.replace(/^http:\/\//, ""),
      fallback: true,
      protocol: "http",
      apiKey: PUBSUB_API_KEY,
    };
    const id = await new PubSub(options)
      .topic("orders")
      .publishMessage({ data: Buffer.from('{"via":"pubsub"}') });
    expect(receivedSince(before)).toEqual([
      expect.objectContaining({
        id,
        type: "google.cloud.pubsub.topic.v1.messagePublished",
        source: "//pubsub.googleapis.com/projects/shop/topics/orders",
      }),
    ]);
  });
}
