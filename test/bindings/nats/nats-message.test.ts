/**
 * The NATS binding as data in, data out: events to header lists and bytes
 * and back, through the same core checks as an HTTP request.
 */
import { describe, expect, it } from "vitest";
import { decodeNatsMessage } from "../../../src/bindings/nats/decode.js";
import {
  binaryNatsMessage,
  type NatsPayload,
  natsMessageSize,
  STRUCTURED_CONTENT_TYPE,
  structuredNatsMessage,
} from "../../../src/bindings/nats/encode.js";
import { GatewayError } from "../../../src/errors/errors.js";
import { createCloudEvent, EventData } from "../../../src/event/cloud-event.js";

const event = (extensions: [string, string | number | boolean][] = []) =>
  createCloudEvent({
    attributes: {
      specversion: "1.0",
      id: "n1",
      source: "/shop",
      type: "order.created",
      subject: "order 1001",
    },
    extensions: new Map(extensions),
    data: new EventData(new TextEncoder().encode('{"total":12.5}'), "json"),
  });

/** The received form nats.js hands over: header names with their values, data as bytes. */
const received = (payload: NatsPayload): [Iterable<[string, string[]]>, Uint8Array] => [
  payload.headers.map(([name, value]): [string, string[]] => [name, [value]]),
  payload.data,
];

function encodedBinary(...args: Parameters<typeof binaryNatsMessage>): NatsPayload {
  const encoded = binaryNatsMessage(...args);
  if (!encoded.ok) throw new Error(encoded.reason);
  return encoded.payload;
}

describe("the NATS binding", () => {
  it("writes binary mode as percent-encoded ce-* headers, the implied content type included, and reads it back", () => {
    const payload = encodedBinary(event([["price", "Euro €"]]));
    expect(Object.fromEntries(payload.headers)).toEqual({
      "ce-specversion": "1.0",
      "ce-id": "n1",
      "ce-source": "/shop",
      "ce-type": "order.created",
      "ce-datacontenttype": "application/json",
      "ce-subject": "order%201001",
      "ce-price": "Euro%20%E2%82%AC",
    });
    const back = decodeNatsMessage(...received(payload));
    expect(back.attributes.subject).toBe("order 1001");
    expect(back.extensions.get("price")).toBe("Euro €");
    expect(back.data?.json()).toEqual({ total: 12.5 });
  });

  it("writes raw values as they are and refuses one with CR or LF rather than send it", () => {
    const raw = encodedBinary(event([["progress", "100%"]]), "raw");
    expect(Object.fromEntries(raw.headers)).toMatchObject({
      "ce-subject": "order 1001",
      "ce-progress": "100%",
    });
    expect(binaryNatsMessage(event([["note", "a\r\nce-id: forged"]]), "raw")).toEqual({
      ok: false,
      reason: expect.stringMatching(/^ce-note .*\(headerEncoding: raw\)$/),
    });
  });

  it("writes structured mode as the JSON format with its content type, and reads it back", () => {
    const payload = structuredNatsMessage(event([["region", "eu"]]));
    expect(payload.headers).toEqual([["content-type", STRUCTURED_CONTENT_TYPE]]);
    const back = decodeNatsMessage(...received(payload));
    expect(back.attributes.id).toBe("n1");
    expect(back.extensions.get("region")).toBe("eu");
  });

  it("reads header names in any case", () => {
    const data = new TextEncoder().encode("hi");
    const back = decodeNatsMessage(
      [
        ["CE-SpecVersion", ["1.0"]],
        ["Ce-Id", ["x"]],
        ["ce-SOURCE", ["/s"]],
        ["ce-type", ["t"]],
        ["ce-datacontenttype", ["text/plain"]],
      ],
      data,
    );
    expect(back.attributes).toMatchObject({ id: "x", source: "/s", datacontenttype: "text/plain" });
  });

  it("refuses a message that is not a valid CloudEvent with the gateway's invalid-event problem", () => {
    const decode = () => decodeNatsMessage([["ce-specversion", ["0.3"]]], new Uint8Array(0));
    expect(decode).toThrow(GatewayError);
    expect(decode).toThrow(expect.objectContaining({ code: "invalid-event", status: 400 }));
  });

  it("counts the bytes the server holds against max_payload: the header block and the data", () => {
    const payload: NatsPayload = { headers: [["a", "b"]], data: new TextEncoder().encode("xyz") };
    const wire = "NATS/1.0\r\na: b\r\n\r\n";
    expect(natsMessageSize(payload)).toBe(wire.length + 3);
    expect(natsMessageSize(payload, [["Nats-Msg-Id", "1"]])).toBe(
      wire.length + "Nats-Msg-Id: 1\r\n".length + 3,
    );
    expect(natsMessageSize({ headers: [], data: payload.data })).toBe(3);
  });
});
