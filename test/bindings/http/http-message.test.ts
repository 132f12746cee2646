/**
 * The HTTP binding as data in, data out: events to requests (binary,
 * structured, batched) and back through the same decoder and core checks as
 * ingress.
 */
import { describe, expect, it } from "vitest";
import { decodeHttpEvents, decodeHttpRequest } from "../../../src/bindings/http/decode.js";
import {
  batchRequest,
  binaryRequest,
  type HttpMessage,
  structuredRequest,
} from "../../../src/bindings/http/encode.js";
import { createCloudEvent, EventData } from "../../../src/event/cloud-event.js";

const event = (id: string, extensions: [string, string | number | boolean][] = []) =>
  createCloudEvent({
    attributes: { specversion: "1.0", id, source: "/shop", type: "order.created" },
    extensions: new Map(extensions),
    data: new EventData(new TextEncoder().encode('{"total":12.5}'), "json"),
  });

const decode = (message: HttpMessage) => decodeHttpEvents(new Headers(message.headers), message.body);

function encodedBinary(...args: Parameters<typeof binaryRequest>): HttpMessage {
  const encoded = binaryRequest(...args);
  if (!encoded.ok) throw new Error(encoded.reason);
  return encoded.message;
}

describe("the HTTP binding", () => {
  it("writes binary mode with datacontenttype as Content-Type (implied for JSON data) and reads it back", () => {
    const message = encodedBinary(event("h1", [["price", "Euro €"]]));
    expect(message.headers).toMatchObject({
      "content-type": "application/json",
      "ce-price": "Euro%20%E2%82%AC",
    });
    expect(message.headers).not.toHaveProperty("ce-datacontenttype");
    const [back] = decode(message);
    expect(back?.attributes.datacontenttype).toBe("application/json");
    expect(back?.extensions.get("price")).toBe("Euro €");
    expect(back?.data?.json()).toEqual({ total: 12.5 });
  });

  it("writes raw values as UTF-8 and refuses one with LF rather than send it", () => {
    const [back] = decode(encodedBinary(event("h2", [["greeting", "Grüße 100%"]]), "raw"));
    expect(back?.extensions.get("greeting")).toBe("Grüße 100%");
    expect(binaryRequest(event("h3", [["note", "a\nb"]]), "raw")).toEqual({
      ok: false,
      reason: expect.stringMatching(/^ce-note .*\(headerEncoding: raw\)$/),
    });
  });

  it("writes structured and batched mode as the JSON format, read back in their modes", () => {
    const structured = structuredRequest(event("s1", [["region", "eu"]]));
    expect(decodeHttpRequest(new Headers(structured.headers), structured.body).mode).toBe("structured");
    expect(decode(structured).map((e) => [e.attributes.id, e.extensions.get("region")])).toEqual([
      ["s1", "eu"],
    ]);

    const batch = batchRequest([event("b1"), event("b2")]);
    expect(decodeHttpRequest(new Headers(batch.headers), batch.body).mode).toBe("batch");
    expect(decode(batch).map((e) => e.attributes.id)).toEqual(["b1", "b2"]);
  });

  it("refuses a message that is not a valid CloudEvent with the gateway's invalid-event problem", () => {
    const message = { headers: { "ce-specversion": "0.3", "ce-id": "x" }, body: new Uint8Array(0) };
    expect(() => decode(message)).toThrow(expect.objectContaining({ code: "invalid-event", status: 400 }));
  });
});
