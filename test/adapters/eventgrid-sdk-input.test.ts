/**
 * Which events `@azure/eventgrid` may carry: only those it would send
 * unchanged. Each case is an event the SDK would alter, next to the nearest
 * one it carries faithfully.
 */
import { describe, expect, it } from "vitest";
import { sdkInputFor } from "../../adapters/eventgrid/node/sdk-input.js";

const encode = (event: Record<string, unknown> | string) =>
  new TextEncoder().encode(typeof event === "string" ? event : JSON.stringify(event));
const timed = {
  specversion: "1.0",
  id: "e-1",
  source: "/s",
  type: "t",
  time: "2026-11-30T12:00:00.123Z",
  datacontenttype: "application/json",
};

describe("sdkInputFor", () => {
  it("carries a timed event with object data, subject, dataschema and typed extensions", () => {
    const input = sdkInputFor(
      encode({
        ...timed,
        subject: "a/b",
        dataschema: "urn:s",
        count: 7,
        flag: false,
        data: { a: [1, null] },
      }),
    );
    expect(input).toEqual({
      id: "e-1",
      source: "/s",
      type: "t",
      time: new Date(timed.time),
      datacontenttype: "application/json",
      subject: "a/b",
      dataschema: "urn:s",
      data: { a: [1, null] },
      extensionAttributes: { count: 7, flag: false },
    });
  });

  it("carries binary data as bytes", () => {
    const input = sdkInputFor(encode({ ...timed, datacontenttype: "image/png", data_base64: "AAEC/w==" }));
    expect(input?.data).toEqual(new Uint8Array([0, 1, 2, 255]));
  });

  it.each([
    ["array data (would become an object)", { ...timed, data: [1, 2] }],
    ["string data (refused by the SDK)", { ...timed, data: "text" }],
    ["number data (refused by the SDK)", { ...timed, data: 1 }],
    ["null data (would be dropped or refused)", { ...timed, data: null }],
    ["no time (the SDK invents one)", { ...timed, time: undefined, data: {} }],
    ["a time without milliseconds (re-printed)", { ...timed, time: "2026-11-30T12:00:00Z", data: {} }],
    ["a time with microseconds (truncated)", { ...timed, time: "2026-11-30T12:00:00.123456Z", data: {} }],
    [
      "a time with an offset (re-printed in UTC)",
      { ...timed, time: "2026-11-30T13:00:00.123+01:00", data: {} },
    ],
    ["no datacontenttype (the SDK invents one)", { ...timed, datacontenttype: undefined, data: {} }],
    ["a __proto__ member in data (lost when copied)", encodeProto()],
  ])("refuses %s", (_, event) => {
    expect(sdkInputFor(typeof event === "string" ? encode(event) : encode(event))).toBeUndefined();
  });

  it.each([
    [
      "a number JSON.parse cannot hold",
      `{"specversion":"1.0","id":"e","source":"/s","type":"t","time":"${timed.time}","datacontenttype":"application/json","data":{"n":12345678901234567890}}`,
    ],
    [
      "a number written as 1.0",
      `{"specversion":"1.0","id":"e","source":"/s","type":"t","time":"${timed.time}","datacontenttype":"application/json","data":{"n":1.0}}`,
    ],
    [
      "an escape JSON.stringify writes differently",
      `{"specversion":"1.0","id":"e","source":"/s","type":"t","time":"${timed.time}","datacontenttype":"application/json","data":{"s":"\\u00e9"}}`,
    ],
  ])("refuses data that does not re-print identically: %s", (_, text) => {
    expect(sdkInputFor(encode(text))).toBeUndefined();
  });
});

function encodeProto(): string {
  return `{"specversion":"1.0","id":"e","source":"/s","type":"t","time":"${timed.time}","datacontenttype":"application/json","data":{"__proto__":{"x":1}}}`;
}
