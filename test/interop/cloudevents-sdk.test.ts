/**
 * Interop with the `cloudevents` npm SDK as a peer: events it builds and
 * serializes arrive equal attribute by attribute, and what we write it reads.
 */
import { CloudEvent, HTTP, type Message } from "cloudevents";
import { describe, expect, it } from "vitest";
import { encodeHeaderValue } from "../../src/codec/header-value.js";
import { allAttributes } from "../../src/event/cloud-event.js";
import { toJsonFormat } from "../../src/event/json-format.js";
import { testGateway, text } from "../support/gateway.js";

const sdkEvents = (): CloudEvent<unknown>[] => [
  new CloudEvent({
    type: "com.example.order.created",
    source: "https://shop.example/orders",
    id: "order-1",
    subject: "orders/1",
    dataschema: "https://schemas.example/order.json",
    datacontenttype: "application/json",
    data: { total: 12.5, items: ["a", "b"] },
    region: "eu west",
    partitionkey: "customer-7",
  }),
  new CloudEvent({ type: "t", source: "/s", id: "text", datacontenttype: "text/plain", data: "plain text" }),
  new CloudEvent({
    type: "t",
    source: "/s",
    id: "bytes",
    datacontenttype: "application/octet-stream",
    data: new Uint8Array([0, 1, 2, 253, 254, 255]),
  }),
  new CloudEvent({ type: "t", source: "/s", id: "nodata" }),
];

/** The SDK leaves header values unencoded; a conformant sender percent-encodes them. */
const percentEncoded = (headers: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, k.startsWith("ce-") ? encodeHeaderValue(v) : v]),
  );

function sdkAttributes(event: CloudEvent<unknown>): Record<string, unknown> {
  const { data: _data, data_base64: _b64, ...attributes } = event.toJSON() as Record<string, unknown>;
  return Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined));
}

/**
 * In binary mode Content-Type is datacontenttype, and the SDK sends
 * `application/json; charset=utf-8` even for an event that has neither data
 * nor a datacontenttype: what arrives is what it put on the wire.
 */
function expectedAttributes(
  event: CloudEvent<unknown>,
  headers: Record<string, unknown>,
): Record<string, unknown> {
  const contentType = headers["content-type"];
  const attributes = sdkAttributes(event);
  const binary = typeof contentType === "string" && !contentType.startsWith("application/cloudevents");
  return binary ? { ...attributes, datacontenttype: contentType } : attributes;
}

describe("the cloudevents SDK as a peer", () => {
  const serializers: [string, (event: CloudEvent<unknown>) => Message][] = [
    ["HTTP.binary", (event) => HTTP.binary(event)],
    ["HTTP.structured", (event) => HTTP.structured(event)],
  ];
  for (const [mode, serialize] of serializers) {
    it(`delivers events serialized with ${mode} equal attribute by attribute`, async () => {
      const gw = testGateway();
      for (const sdkEvent of sdkEvents()) {
        const message = serialize(sdkEvent);
        const response = await gw.post({
          headers: percentEncoded(message.headers as Record<string, string>),
          body: (message.body as string | Uint8Array<ArrayBuffer> | undefined) ?? null,
        });
        expect(response.status, String(sdkEvent.id)).toBe(202);
        const received = gw.received().at(-1)!;
        expect(Object.fromEntries(allAttributes(received))).toEqual(
          expectedAttributes(sdkEvent, message.headers),
        );
        if (sdkEvent.data instanceof Uint8Array)
          expect([...received.data!.bytes]).toEqual([...sdkEvent.data]);
        else if (sdkEvent.data === undefined) expect(received.data).toBeUndefined();
        else if (typeof sdkEvent.data === "string") expect(received.data?.text()).toBe(sdkEvent.data);
        else expect(received.data?.json()).toEqual(sdkEvent.data);
      }
    });
  }

  it("writes JSON-format events the SDK reads back equal", async () => {
    const gw = testGateway();
    for (const sdkEvent of sdkEvents()) {
      const message = HTTP.binary(sdkEvent);
      await gw.post({
        headers: percentEncoded(message.headers as Record<string, string>),
        body: (message.body as string | Uint8Array<ArrayBuffer> | undefined) ?? null,
      });
      const written = text(toJsonFormat(gw.received().at(-1)!))!;
      const readBack = HTTP.toEvent({
        headers: { "content-type": "application/cloudevents+json" },
        body: written,
      }) as CloudEvent<unknown>;
      expect(sdkAttributes(readBack)).toEqual(expectedAttributes(sdkEvent, message.headers));
      if (sdkEvent.data instanceof Uint8Array)
        expect([...(readBack.data as Uint8Array)]).toEqual([...sdkEvent.data]);
      else expect(readBack.data).toEqual(sdkEvent.data);
    }
  });
});
