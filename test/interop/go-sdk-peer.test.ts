/**
 * Interop with peers on the official Go SDK (sdk-go v2, which Knative uses):
 * it neither percent-encodes nor decodes `ce-*` header values. Its receiver
 * is reproduced by one that reads header bytes as UTF-8 without decoding,
 * its producer by requests whose values are sent as they are.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway } from "../../src/entries/node/create-gateway.js";
import { binaryHeaders, STRUCTURED } from "../support/gateway.js";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";

let receiver: HttpReceiver;
beforeAll(async () => {
  receiver = await startHttpReceiver();
});
afterAll(() => receiver.close());

/** A header as sdk-go reads it: the bytes as UTF-8, no percent-decoding (Node hands them over one character per byte). */
const asGoReads = (name: string, index = 0): string | undefined => {
  const value = receiver.requests[index]?.headers[name];
  return value === undefined
    ? undefined
    : new TextDecoder().decode(Uint8Array.from(value, (c) => c.charCodeAt(0)));
};

/** A header value as sdk-go sends it: the UTF-8 bytes as they are (a byte string, as fetch takes it). */
const asGoSends = (value: string) => String.fromCharCode(...new TextEncoder().encode(value));

function gatewayTo(headerEncoding?: "percent" | "raw") {
  return createGateway({
    targets: {
      hook: {
        type: "http",
        url: `${receiver.url}/knative`,
        mode: "binary",
        ...(headerEncoding === undefined ? {} : { headerEncoding }),
      },
    },
    routes: [{ name: "all", to: ["hook"] }],
  });
}

const order = JSON.stringify({
  specversion: "1.0",
  id: "o-1",
  source: "/shop",
  type: "com.example.order",
  subject: "order 1001",
  price: "Euro €",
  data: { total: 12.5 },
});

describe("a receiver on sdk-go behind a binary-mode http target", () => {
  it("sees percent-encoded values with the default headerEncoding (the binding's)", async () => {
    receiver.requests.length = 0;
    const gateway = gatewayTo();
    expect(
      (await gateway.request("/events", { method: "POST", headers: STRUCTURED, body: order })).status,
    ).toBe(202);
    expect(asGoReads("ce-subject")).toBe("order%201001");
    expect(asGoReads("ce-price")).toBe("Euro%20%E2%82%AC");
    await gateway.close();
  });

  it("sees the values as they are with headerEncoding: raw", async () => {
    receiver.requests.length = 0;
    const gateway = gatewayTo("raw");
    expect(
      (await gateway.request("/events", { method: "POST", headers: STRUCTURED, body: order })).status,
    ).toBe(202);
    expect(asGoReads("ce-subject")).toBe("order 1001");
    expect(asGoReads("ce-price")).toBe("Euro €");
    expect(asGoReads("ce-id")).toBe("o-1");
    expect(receiver.requests[0]?.headers["content-type"]).toBe("application/json");
    expect(new TextDecoder().decode(receiver.requests[0]?.body)).toBe('{"total":12.5}');
    await gateway.close();
  });
});

describe("a producer on sdk-go sending binary mode to the gateway", () => {
  it("gets 202 for a value with a % that starts no escape, and for raw UTF-8, delivered as sent", async () => {
    receiver.requests.length = 0;
    const gateway = gatewayTo("raw");
    const response = await gateway.request("/events", {
      method: "POST",
      headers: binaryHeaders({
        "ce-progress": "100%",
        "ce-price": asGoSends("Euro €"),
        "ce-subject": asGoSends("order 1001"),
        "content-type": "application/json",
      }),
      body: '{"done":true}',
    });
    expect(response.status).toBe(202);
    // From sdk-go to sdk-go through the gateway: nothing gained or lost on the way.
    expect(asGoReads("ce-progress")).toBe("100%");
    expect(asGoReads("ce-price")).toBe("Euro €");
    expect(asGoReads("ce-subject")).toBe("order 1001");
    await gateway.close();
  });

  it("still decodes a valid escape, and still refuses bytes that are not UTF-8 once decoded", async () => {
    receiver.requests.length = 0;
    const gateway = gatewayTo("raw");
    const decoded = await gateway.request("/events", {
      method: "POST",
      headers: binaryHeaders({ "ce-note": "100%25 sure" }),
    });
    expect(decoded.status).toBe(202);
    expect(asGoReads("ce-note")).toBe("100% sure");
    const refused = await gateway.request("/events", {
      method: "POST",
      headers: binaryHeaders({ "ce-note": "100% %C3%28" }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      errors: [expect.objectContaining({ header: "ce-note", code: "invalid-utf8" })],
    });
    await gateway.close();
  });
});
