/**
 * Interop in the other direction: the gateway's HTTP target delivers to a
 * receiver built on the `cloudevents` SDK (`HTTP.toEvent`).
 */
import { type CloudEvent, HTTP } from "cloudevents";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway } from "../../src/entries/node/create-gateway.js";
import { binaryHeaders, STRUCTURED } from "../support/gateway.js";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";

let receiver: HttpReceiver;
beforeAll(async () => {
  receiver = await startHttpReceiver();
});
afterAll(() => receiver.close());

function sdkEvents(): CloudEvent<unknown>[] {
  return receiver.requests.map((r) => {
    const body = new TextDecoder().decode(r.body);
    return HTTP.toEvent({ headers: r.headers, body: body === "" ? undefined : body }) as CloudEvent<unknown>;
  });
}

describe.each(["binary", "structured"] as const)("the http target in %s mode, read by the SDK", (mode) => {
  it("delivers attributes, extensions and data the SDK reads back equal", async () => {
    receiver.requests.length = 0;
    const gateway = createGateway({
      targets: { hook: { type: "http", url: `${receiver.url}/hooks/{type}`, mode } },
      routes: [{ name: "all", to: ["hook"] }],
    });
    const response = await gateway.request("/events", {
      method: "POST",
      headers: binaryHeaders({
        "ce-type": "com.example.created",
        "ce-subject": "orders/1",
        "ce-region": "eu-west",
        "content-type": "application/json",
      }),
      body: '{"total":12.5,"items":["a","b"]}',
    });
    expect(response.status).toBe(202);
    const [event] = sdkEvents();
    expect(receiver.requests[0]?.path).toBe("/hooks/com.example.created");
    expect(event).toMatchObject({
      specversion: "1.0",
      id: "evt-1",
      source: "/test/source",
      type: "com.example.created",
      subject: "orders/1",
      region: "eu-west",
      datacontenttype: "application/json",
      data: { total: 12.5, items: ["a", "b"] },
    });
    // Nothing was invented on the way (the SDK would add time if the event had none on the wire).
    expect(receiver.requests[0]?.headers["ce-time"]).toBeUndefined();
    await gateway.close();
  });

  it("gives JSON data sent without datacontenttype to the SDK as JSON", async () => {
    receiver.requests.length = 0;
    const gateway = createGateway({
      targets: { hook: { type: "http", url: `${receiver.url}/json`, mode } },
      routes: [{ name: "all", to: ["hook"] }],
    });
    const response = await gateway.request("/events", {
      method: "POST",
      headers: STRUCTURED,
      body: '{"specversion":"1.0","id":"j","source":"/s","type":"t","data":{"a":[1,2]}}',
    });
    expect(response.status).toBe(202);
    const [event] = sdkEvents();
    expect(event?.data).toEqual({ a: [1, 2] });
    // Binary mode states the type the JSON format implies; structured mode leaves it implied.
    expect(event?.datacontenttype).toBe(mode === "binary" ? "application/json" : undefined);
    await gateway.close();
  });
});

it("percent-encodes header values, which the SDK (known bug) leaves encoded", async () => {
  receiver.requests.length = 0;
  const gateway = createGateway({
    targets: { hook: { type: "http", url: `${receiver.url}/x`, mode: "binary" } },
    routes: [{ name: "all", to: ["hook"] }],
  });
  await gateway.request("/events", {
    method: "POST",
    headers: STRUCTURED,
    body: JSON.stringify({ specversion: "1.0", id: "e", source: "/s", type: "t", greeting: "Euro € 😀" }),
  });
  expect(receiver.requests[0]?.headers["ce-greeting"]).toBe("Euro%20%E2%82%AC%20%F0%9F%98%80");
  expect(sdkEvents()[0]?.greeting).toBe("Euro%20%E2%82%AC%20%F0%9F%98%80");
  await gateway.close();
});
