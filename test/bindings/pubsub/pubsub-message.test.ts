/**
 * The Pub/Sub binding: attributes, limits checked before sending, and the
 * structured fallback for events binary mode cannot carry.
 */
import { describe, expect, it } from "vitest";
import { decodePubsubMessage } from "../../../src/bindings/pubsub/decode.js";
import { encodePubsubMessage, LIMITS, STRUCTURED_CONTENT_TYPE } from "../../../src/bindings/pubsub/encode.js";
import { createCloudEvent, EventData } from "../../../src/event/cloud-event.js";

const event = (extensions: [string, string | number | boolean][] = [], data = '{"a":1.0}') =>
  createCloudEvent({
    attributes: { specversion: "1.0", id: "1", source: "/s", type: "t", datacontenttype: "application/json" },
    extensions: new Map(extensions),
    data: new EventData(new TextEncoder().encode(data), "json"),
  });

describe("Pub/Sub messages", () => {
  it("maps attributes to ce-* and datacontenttype to content-type in binary mode, and back", () => {
    const encoded = encodePubsubMessage(
      event([
        ["region", "Euro €"],
        ["count", 3],
      ]),
      "binary",
      "structured",
    );
    expect(encoded.ok && encoded.payload.attributes).toEqual({
      "ce-specversion": "1.0",
      "ce-id": "1",
      "ce-source": "/s",
      "ce-type": "t",
      "content-type": "application/json",
      "ce-region": "Euro €",
      "ce-count": "3",
    });
    if (!encoded.ok) throw new Error("not encoded");
    const back = decodePubsubMessage(encoded.payload.attributes, encoded.payload.data);
    expect(back.extensions.get("region")).toBe("Euro €");
    expect(new TextDecoder().decode(back.data?.bytes)).toBe('{"a":1.0}');
  });

  it("sends structured mode with the binding's content type", () => {
    const encoded = encodePubsubMessage(event(), "structured", "structured");
    expect(encoded.ok && encoded.payload.attributes).toEqual({ "content-type": STRUCTURED_CONTENT_TYPE });
    if (!encoded.ok) throw new Error("not encoded");
    expect(decodePubsubMessage(encoded.payload.attributes, encoded.payload.data).attributes.id).toBe("1");
  });

  it("falls back to structured for an event with more than 100 attributes or a value over 1024 bytes", () => {
    const many = Array.from({ length: 100 }, (_, i): [string, string] => [`x${i}`, "v"]);
    const tooMany = encodePubsubMessage(event(many), "binary", "structured");
    expect(tooMany.ok && tooMany.payload.attributes).toEqual({ "content-type": STRUCTURED_CONTENT_TYPE });
    const long = encodePubsubMessage(
      event([["long", "x".repeat(LIMITS.attributeValueBytes + 1)]]),
      "binary",
      "structured",
    );
    expect(long.ok && Object.keys(long.payload.attributes)).toEqual(["content-type"]);
  });

  it("refuses, when so configured, rather than truncating", () => {
    const refused = encodePubsubMessage(event([["long", "é".repeat(600)]]), "binary", "refuse");
    expect(refused).toEqual({ ok: false, reason: expect.stringMatching(/over 1024 bytes/) });
  });

  it("refuses a message over 10 MB in any mode", () => {
    const huge = encodePubsubMessage(
      event([], `"${"x".repeat(LIMITS.messageBytes)}"`),
      "binary",
      "structured",
    );
    expect(huge.ok).toBe(false);
  });

  it("accepts Content-Type and ce-datacontenttype when reading", () => {
    const data = new TextEncoder().encode("hi");
    const base = { "ce-specversion": "1.0", "ce-id": "1", "ce-source": "/s", "ce-type": "t" };
    expect(
      decodePubsubMessage({ ...base, "Content-Type": "text/plain" }, data).attributes.datacontenttype,
    ).toBe("text/plain");
    expect(
      decodePubsubMessage({ ...base, "ce-datacontenttype": "text/plain" }, data).attributes.datacontenttype,
    ).toBe("text/plain");
  });
});
