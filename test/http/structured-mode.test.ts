import { describe, expect, it } from "vitest";
import {
  binaryHeaders,
  problemOf,
  STRUCTURED,
  structuredEvent,
  testGateway,
  text,
} from "../support/gateway.js";

const post = (
  gw: ReturnType<typeof testGateway>,
  body: string,
  contentType = "application/cloudevents+json",
) => gw.post({ headers: { "content-type": contentType }, body });

describe("POST /events in structured mode", () => {
  it("keeps the event's bytes, numbers and key order exactly as received", async () => {
    const gw = testGateway();
    const body = `{ "specversion" : "1.0", "id":"a", "source":"/s", "type":"t",
      "data": {"z": 1.0, "10": 12345678901234567890, "a": [1e2, -0.0]} }`;
    expect((await post(gw, body)).status).toBe(202);
    const [event] = gw.received();
    expect(text(event?.data?.bytes)).toBe('{"z": 1.0, "10": 12345678901234567890, "a": [1e2, -0.0]}');
    expect(text(event?.encoded)).toBe(body.trim());
  });

  it.each([
    "application/cloudevents+json",
    "Application/CloudEvents+JSON",
    "application/cloudevents+json; charset=utf-8",
    "application/cloudevents+json;charset=UTF-8",
    'application/cloudevents+json; charset="utf-8"',
  ])("accepts Content-Type %s", async (contentType) => {
    const gw = testGateway();
    expect((await post(gw, JSON.stringify(structuredEvent()), contentType)).status).toBe(202);
  });

  it.each([
    "application/cloudevents+avro",
    "application/cloudevents",
    "application/cloudevents+json; charset=iso-8859-1",
    "application/cloudevents-batch+protobuf",
  ])("answers 415 for %s", async (contentType) => {
    const gw = testGateway();
    const response = await post(gw, JSON.stringify(structuredEvent()), contentType);
    expect(response.status).toBe(415);
    expect((await problemOf(response)).code).toBe("unsupported-media-type");
  });

  it("lets the body win over ce-* headers", async () => {
    const gw = testGateway();
    const response = await gw.post({
      headers: { ...binaryHeaders({ "ce-id": "from-header" }), ...STRUCTURED },
      body: JSON.stringify(structuredEvent({ id: "from-body" })),
    });
    expect(response.status).toBe(202);
    expect(gw.received()[0]?.attributes.id).toBe("from-body");
  });

  it("keeps extensions of each JSON type and treats null as unset", async () => {
    const gw = testGateway();
    const body = JSON.stringify(structuredEvent({ str: "x", int: -2147483648, yes: true, gone: null }));
    expect((await post(gw, body)).status).toBe(202);
    expect([...(gw.received()[0]?.extensions ?? [])]).toEqual([
      ["str", "x"],
      ["int", -2147483648],
      ["yes", true],
    ]);
  });

  it.each([
    ['"int": 1.5', "/int", "invalid-integer"],
    ['"int": 1.0', "/int", "invalid-integer"],
    ['"int": 1e3', "/int", "invalid-integer"],
    ['"int": 2147483648', "/int", "invalid-integer"],
    ['"obj": {"a": 1}', "/obj", "invalid-type"],
    ['"arr": [1]', "/arr", "invalid-type"],
    ['"id": 5', "/id", "invalid-type"],
    ['"subject": true', "/subject", "invalid-type"],
    ['"specversion": 1.0', "/specversion", "invalid-type"],
    ['"Upper": "x"', "/Upper", "invalid-attribute-name"],
    ['"data_base64": "not base64!"', "/data_base64", "invalid-base64"],
    ['"data_base64": 12', "/data_base64", "invalid-base64"],
    ['"data": 1, "data_base64": "AA=="', "/data_base64", "data-conflict"],
    ['"lone": "\\ud800"', "/lone", "invalid-string"],
    ['"id": "a", "id": "b"', "/id", "duplicate-member"],
  ])("rejects %s with 400 at %s (%s)", async (member, pointer, code) => {
    const gw = testGateway();
    const base = JSON.stringify(structuredEvent()).slice(1, -1).replace('"id":"evt-1"', '"id":"evt-1"');
    const memberName = member.slice(1, member.indexOf('"', 1));
    const withoutMember = base
      .split(",")
      .filter((part) => !part.startsWith(`"${memberName}"`))
      .join(",");
    const response = await post(gw, `{${withoutMember},${member}}`);
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toContainEqual(expect.objectContaining({ pointer, code }));
  });

  it("decodes data_base64 to bytes and keeps data: null distinct from no data", async () => {
    const gw = testGateway();
    await post(gw, JSON.stringify(structuredEvent({ id: "b64", data_base64: "AP8=" })));
    await post(gw, JSON.stringify(structuredEvent({ id: "null", data: null })));
    await post(gw, JSON.stringify(structuredEvent({ id: "none" })));
    const [b64, nullData, none] = gw.received();
    expect([...(b64?.data?.bytes ?? [])]).toEqual([0, 255]);
    expect(b64?.data?.encoding).toBe("binary");
    expect(text(nullData?.data?.bytes)).toBe("null");
    expect(nullData?.data?.json()).toBeNull();
    expect(none?.data).toBeUndefined();
  });

  it("does not parse a string data value again under a JSON content type", async () => {
    const gw = testGateway();
    await post(gw, JSON.stringify(structuredEvent({ datacontenttype: "application/json", data: '{"a":1}' })));
    expect(gw.received()[0]?.data?.json()).toBe('{"a":1}');
  });

  it("takes string data under a text content type as text", async () => {
    const gw = testGateway();
    await post(gw, JSON.stringify(structuredEvent({ datacontenttype: "text/plain", data: "line\nbreak €" })));
    const data = gw.received()[0]?.data;
    expect(data?.encoding).toBe("text");
    expect(data?.text()).toBe("line\nbreak €");
  });

  it.each([
    ["{", "invalid JSON"],
    ['{"id": "a",}', "trailing comma"],
    ['{"id": "a"} {}', "two documents"],
    ["[]", "an array"],
    ['"just a string"', "a string"],
    ["", "an empty body"],
    ['{"id": "\u0001"}', "a raw control character"],
  ])("rejects a malformed body (%s: %s) with 400", async (body) => {
    const gw = testGateway();
    const response = await post(gw, body);
    expect(response.status).toBe(400);
    expect((await problemOf(response)).code).toBe("malformed-body");
  });

  it("rejects bytes that are not UTF-8 with 400", async () => {
    const gw = testGateway();
    const head = new TextEncoder().encode('{"specversion":"1.0","id":"');
    const tail = new TextEncoder().encode('","source":"/s","type":"t"}');
    const body = new Uint8Array([...head, 0xc0, 0xa0, ...tail]);
    const response = await gw.post({ headers: STRUCTURED, body });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.code).toBe("invalid-json");
  });

  it("refuses nesting deeper than the limit without crashing", async () => {
    const gw = testGateway();
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const response = await post(gw, JSON.stringify(structuredEvent()).replace(/}$/, `,"data":${deep}}`));
    expect(response.status).toBe(400);
  });
});
