/**
 * A publish source's own answer is for success only: when a target does not
 * take the events, the producer gets the gateway's problem+json (502 for a
 * refusal, 503 with Retry-After for a busy target), never Event Grid's empty
 * 200 or Pub/Sub's message ids, so its client reports the failure.
 */
import { randomBytes } from "node:crypto";
import { PubSub } from "@google-cloud/pubsub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";
import { type ListeningGateway, listeningGateway } from "../support/listening-gateway.js";

const ACCESS_KEY = randomBytes(32).toString("base64");
const API_KEY = "publish-failures-api-key";

let receiver: HttpReceiver;
let gateway: ListeningGateway;

beforeAll(async () => {
  receiver = await startHttpReceiver();
  gateway = await listeningGateway({
    targets: {
      refusing: { type: "http", url: `${receiver.url}/refuse`, mode: "structured" },
      busy: { type: "http", url: `${receiver.url}/busy`, mode: "structured", retry: { maxAttempts: 1 } },
    },
    routes: [
      { name: "refused", filters: [{ prefix: { type: "com.example.refused" } }], to: ["refusing"] },
      { name: "busy", filters: [{ prefix: { type: "com.example.busy" } }], to: ["busy"] },
    ],
    ingest: {
      sources: [
        { path: "/api/events", type: "eventgrid-publish", accessKeys: [ACCESS_KEY] },
        { path: "/v1/projects/{project}/topics/{topic}:publish", type: "pubsub-publish", apiKeys: [API_KEY] },
      ],
    },
  });
});

afterAll(async () => {
  await Promise.all([gateway?.close(), receiver?.close()]);
});

const eventGrid = (type: string) =>
  fetch(`${gateway.url}/api/events?api-version=2018-01-01`, {
    method: "POST",
    headers: { "content-type": "application/cloudevents-batch+json", "aeg-sas-key": ACCESS_KEY },
    body: JSON.stringify([{ specversion: "1.0", type, source: "/s", id: `${type}-1` }]),
  });

describe("publish sources when delivery fails", () => {
  it("eventgrid-publish: a refused event is a 502 problem, not 200", async () => {
    const response = await eventGrid("com.example.refused");
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect((await response.json()).code).toBe("target-refused");
  });

  it("eventgrid-publish: a busy target is a 503 problem with Retry-After", async () => {
    const response = await eventGrid("com.example.busy");
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).not.toBeNull();
    expect((await response.json()).code).toBe("target-unavailable");
  });

  it("pubsub-publish: the official client's publish rejects, and no message id is given", async () => {
    const options = {
      projectId: "shop",
      apiEndpoint: gateway.url.replace(/^http:\/\//, ""),
      fallback: true,
      protocol: "http",
      apiKey: API_KEY,
    };
    // The client retries a 502 as UNAVAILABLE for up to its total timeout; no retries here, to see the failure.
    const topic = new PubSub(options).topic("orders", { gaxOpts: { maxRetries: 0 } });
    const refused = topic.publishMessage({
      data: Buffer.from("x"),
      attributes: {
        "ce-specversion": "1.0",
        "ce-id": "r-1",
        "ce-type": "com.example.refused",
        "ce-source": "/s",
      },
    });
    await expect(refused).rejects.toThrow();
  });

  it("pubsub-publish: the answer itself is the 502 problem, without messageIds", async () => {
    const response = await fetch(`${gateway.url}/v1/projects/shop/topics/orders:publish`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-goog-api-key": API_KEY },
      body: JSON.stringify({
        messages: [
          {
            attributes: {
              "ce-specversion": "1.0",
              "ce-id": "r-2",
              "ce-type": "com.example.refused",
              "ce-source": "/s",
            },
          },
        ],
      }),
    });
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = await response.json();
    expect(body.code).toBe("target-refused");
    expect(body).not.toHaveProperty("messageIds");
  });
});
