import { describe, expect, it } from "vitest";
import { binaryHeaders, problemOf, testGateway, text } from "../support/gateway.js";

describe("POST /events in binary mode", () => {
  it("accepts an event with 202, listing its id, and delivers its attributes and data unchanged", async () => {
    const gw = testGateway();
    const response = await gw.post({
      headers: binaryHeaders({
        "content-type": "application/json",
        "ce-time": "2018-04-05T03:56:24.123+01:00",
      }),
      body: '{"b":1,"2":1.0,"big":12345678901234567890}',
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 1, events: [{ id: "evt-1", source: "/test/source" }] });
    const [event] = gw.received();
    expect(event?.attributes).toEqual({
      specversion: "1.0",
      id: "evt-1",
      source: "/test/source",
      type: "com.example.test",
      datacontenttype: "application/json",
      time: "2018-04-05T03:56:24.123+01:00",
    });
    expect(text(event?.data?.bytes)).toBe('{"b":1,"2":1.0,"big":12345678901234567890}');
    expect(event?.data?.encoding).toBe("json");
  });

  it("reads header names case-insensitively", async () => {
    const gw = testGateway();
    const response = await gw.post({
      headers: { "CE-SpecVersion": "1.0", "Ce-Id": "x", "CE-SOURCE": "/s", "ce-Type": "t" },
    });
    expect(response.status).toBe(202);
    expect(gw.received()[0]?.attributes.id).toBe("x");
  });

  it("percent-decodes ce-* values exactly once", async () => {
    const gw = testGateway();
    const response = await gw.post({
      headers: binaryHeaders({
        "ce-greeting": "Euro%20%E2%82%AC%20%F0%9F%98%80",
        "ce-lower": "%e2%82%ac",
        "ce-needless": "%41%42C",
        "ce-twice": "100%2525",
      }),
    });
    expect(response.status).toBe(202);
    const extensions = gw.received()[0]?.extensions;
    expect(extensions?.get("greeting")).toBe("Euro € 😀");
    expect(extensions?.get("lower")).toBe("€");
    expect(extensions?.get("needless")).toBe("ABC");
    expect(extensions?.get("twice")).toBe("100%25");
  });

  it("keeps a % that starts no %XX escape literally, as senders that do not encode (sdk-go) write it", async () => {
    const gw = testGateway();
    const response = await gw.post({
      headers: binaryHeaders({ "ce-progress": "100%", "ce-odd": "%G1%4", "ce-mixed": "50% off, 10%25" }),
    });
    expect(response.status).toBe(202);
    const extensions = gw.received()[0]?.extensions;
    expect(extensions?.get("progress")).toBe("100%");
    expect(extensions?.get("odd")).toBe("%G1%4");
    expect(extensions?.get("mixed")).toBe("50% off, 10%");
  });

  it("accepts raw UTF-8 in ce-* values, as senders that do not encode write it", async () => {
    const gw = testGateway();
    const raw = String.fromCharCode(...new TextEncoder().encode("Euro € 100%"));
    const response = await gw.post({ headers: binaryHeaders({ "ce-price": raw }) });
    expect(response.status).toBe(202);
    expect(gw.received()[0]?.extensions.get("price")).toBe("Euro € 100%");
  });

  it("unquotes RFC 7230 quoted-strings before percent-decoding", async () => {
    const gw = testGateway();
    const response = await gw.post({
      headers: binaryHeaders({ "ce-quoted": '"a \\"quoted\\" %41"', "ce-subject": '"hello world"' }),
    });
    expect(response.status).toBe(202);
    const [event] = gw.received();
    expect(event?.extensions.get("quoted")).toBe('a "quoted" A');
    expect(event?.attributes.subject).toBe("hello world");
  });

  it.each([
    ["%C0%A0", "invalid-utf8"],
    ["%FF", "invalid-utf8"],
    ["%ED%A0%80", "invalid-utf8"],
    ["100%25%C3", "invalid-utf8"],
    ['"unterminated', "invalid-quoted-string"],
  ])("rejects the header value %s with 400 %s, naming the header", async (value, code) => {
    const gw = testGateway();
    const response = await gw.post({ headers: binaryHeaders({ "ce-bad": value }) });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.code).toBe("invalid-event");
    expect(problem.errors).toContainEqual(
      expect.objectContaining({ header: "ce-bad", pointer: "/bad", code }),
    );
    expect(gw.received()).toHaveLength(0);
  });

  it("treats an empty body as an event without data", async () => {
    const gw = testGateway();
    expect((await gw.post({ headers: binaryHeaders() })).status).toBe(202);
    expect(gw.received()[0]?.data).toBeUndefined();
  });

  it("uses Content-Type as datacontenttype, parameters and case as sent", async () => {
    const gw = testGateway();
    const response = await gw.post({
      headers: binaryHeaders({ "content-type": "Text/Plain; Charset=UTF-8" }),
      body: "Hello, 🌎!",
    });
    expect(response.status).toBe(202);
    const [event] = gw.received();
    expect(event?.attributes.datacontenttype).toBe("Text/Plain; Charset=UTF-8");
    expect(event?.data?.encoding).toBe("text");
    expect(event?.data?.text()).toBe("Hello, 🌎!");
  });

  it("keeps non-UTF-8 and non-text data as binary", async () => {
    const gw = testGateway();
    const bytes = new Uint8Array([0, 255, 254, 10, 13, 128]);
    const response = await gw.post({
      headers: binaryHeaders({ "content-type": "application/octet-stream" }),
      body: bytes,
    });
    expect(response.status).toBe(202);
    const [event] = gw.received();
    expect(event?.data?.encoding).toBe("binary");
    expect([...(event?.data?.bytes ?? [])]).toEqual([...bytes]);
  });

  it("rejects a body declared JSON that is not JSON with 400 at /data", async () => {
    const gw = testGateway();
    const response = await gw.post({
      headers: binaryHeaders({ "content-type": "application/json" }),
      body: "{oops",
    });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toContainEqual(
      expect.objectContaining({ pointer: "/data", code: "invalid-json" }),
    );
  });

  it("accepts any +json type as JSON and checks it", async () => {
    const gw = testGateway();
    const bad = await gw.post({
      headers: binaryHeaders({ "content-type": "application/vnd.x+json" }),
      body: "[1,",
    });
    expect(bad.status).toBe(400);
    const good = await gw.post({
      headers: binaryHeaders({ "content-type": "application/vnd.x+json" }),
      body: "[1]",
    });
    expect(good.status).toBe(202);
  });

  it("rejects ce-datacontenttype, which binary mode carries as Content-Type", async () => {
    const gw = testGateway();
    const response = await gw.post({ headers: binaryHeaders({ "ce-datacontenttype": "application/json" }) });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]?.code).toBe("datacontenttype-header");
  });

  it("lists every missing required attribute", async () => {
    const gw = testGateway();
    const response = await gw.post({ headers: { "content-type": "application/json" }, body: "{}" });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.errors?.map((e) => [e.pointer, e.code])).toEqual([
      ["/specversion", "missing-attribute"],
      ["/id", "missing-attribute"],
      ["/source", "missing-attribute"],
      ["/type", "missing-attribute"],
    ]);
  });

  it.each([
    [{ "ce-specversion": "0.3" }, "/specversion", "unsupported-specversion"],
    [{ "ce-specversion": "1.0.1" }, "/specversion", "unsupported-specversion"],
    [{ "ce-id": "" }, "/id", "invalid-id"],
    [{ "ce-type": "" }, "/type", "invalid-type"],
    [{ "ce-source": "not a uri" }, "/source", "invalid-source"],
    [{ "ce-source": "" }, "/source", "invalid-source"],
    [{ "ce-dataschema": "/relative/ref" }, "/dataschema", "invalid-dataschema"],
    [{ "ce-subject": "" }, "/subject", "invalid-subject"],
    [{ "ce-time": "2018-04-05 03:56:24Z" }, "/time", "invalid-time"],
    [{ "ce-time": "2019-02-29T00:00:00Z" }, "/time", "invalid-time"],
    [{ "ce-bad_name": "x" }, "/bad_name", "invalid-attribute-name"],
    [{ "ce-data": "x" }, "/data", "invalid-attribute-name"],
    [{ "ce-ctl": "a%00b" }, "/ctl", "invalid-string"],
    [{ "ce-ctl": "%C2%85" }, "/ctl", "invalid-string"],
    [{ "ce-nonchar": "%EF%B7%90" }, "/nonchar", "invalid-string"],
  ])("rejects %o with 400 at %s (%s)", async (override, pointer, code) => {
    const gw = testGateway();
    const response = await gw.post({ headers: binaryHeaders(override) });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors).toContainEqual(expect.objectContaining({ pointer, code }));
  });

  it("accepts the edge cases the spec allows", async () => {
    const gw = testGateway();
    const response = await gw.post({
      headers: binaryHeaders({
        "ce-time": "2020-02-29T23:59:60.999999999z",
        "ce-dataschema": "urn:example:schema#v1",
        "ce-source": "//github.com/cloudevents/spec",
        "ce-1starts": "with a digit",
        "ce-averyveryverylongattributename": "longer than 20 chars",
      }),
    });
    expect(response.status).toBe(202);
    expect(gw.received()[0]?.attributes.time).toBe("2020-02-29T23:59:60.999999999z");
  });
});
