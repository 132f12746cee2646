import { describe, expect, it } from "vitest";
import { toJsonFormat, toJsonLine } from "../../src/event/json-format.js";
import { BATCH, binaryHeaders, STRUCTURED, structuredEvent, testGateway, text } from "../support/gateway.js";

const tricky = '{"z":1.0,"2":"two","1":12345678901234567890,"nested":{"b":[1.50,-0]}}';

describe("forwarding never re-serializes data", () => {
  it("writes a binary-mode JSON event in the JSON format with the data bytes spliced in", async () => {
    const gw = testGateway();
    await gw.post({
      headers: binaryHeaders({ "content-type": "application/json", "ce-n": "x" }),
      body: tricky,
    });
    const [event] = gw.received();
    expect(text(toJsonFormat(event!))).toBe(
      `{"specversion":"1.0","id":"evt-1","source":"/test/source","type":"com.example.test","datacontenttype":"application/json","n":"x","data":${tricky}}`,
    );
  });

  it("forwards a structured event as the very bytes that came in, even inside a batch", async () => {
    const gw = testGateway();
    const first = `{"specversion":"1.0","id":"1","source":"/s","type":"t","data":${tricky}}`;
    const second = `{"data":1.0,"type":"t","source":"/s","id":"2","specversion":"1.0","ext":7}`;
    await gw.post({ headers: BATCH, body: `[${first},\n ${second}]` });
    await gw.post({ headers: STRUCTURED, body: first });
    expect(gw.received().map((e) => text(toJsonFormat(e)))).toEqual([first, second, first]);
  });

  it("writes one line per event without touching numbers or order", async () => {
    const gw = testGateway();
    const pretty = `{\n  "specversion": "1.0",\n  "id": "1", "source": "/s", "type": "t",\n  "data": {\n    "2": 1.0,\n    "1": "a\\nb"\n  }\n}`;
    await gw.post({ headers: STRUCTURED, body: pretty });
    const line = text(toJsonLine(gw.received()[0]!));
    expect(line).toBe('{"specversion":"1.0","id":"1","source":"/s","type":"t","data":{"2":1.0,"1":"a\\nb"}}');
  });

  it("writes text data as a JSON string and other data as data_base64", async () => {
    const gw = testGateway();
    await gw.post({
      headers: binaryHeaders({ "content-type": "text/plain; charset=utf-8" }),
      body: 'say "hi" €',
    });
    await gw.post({
      headers: binaryHeaders({ "content-type": "image/png" }),
      body: new Uint8Array([137, 80, 78, 71]),
    });
    await gw.post({
      headers: binaryHeaders({ "content-type": "text/plain" }),
      body: new Uint8Array([0xff, 0xfe]),
    });
    const written = gw.received().map((e) => JSON.parse(text(toJsonFormat(e))!));
    expect(written[0].data).toBe('say "hi" €');
    expect(written[1].data_base64).toBe("iVBORw==");
    expect(written[2].data_base64).toBe("//4=");
    expect(written.every((w) => !("data" in w && "data_base64" in w))).toBe(true);
  });

  it("offers a lazily parsed JSON view of the data", async () => {
    const gw = testGateway();
    await gw.post({ headers: STRUCTURED, body: JSON.stringify(structuredEvent({ data: { a: [1, 2] } })) });
    const data = gw.received()[0]?.data;
    expect(data?.json()).toEqual({ a: [1, 2] });
    expect(data?.json()).toBe(data?.json());
  });
});
