/**
 * The events the adapter contract suite sends: one builder, and the round
 * trips every target must carry without loss (every kind of data, every
 * attribute type, characters a binding must encode).
 */
import {
  type AttributeValue,
  type CloudEvent,
  createCloudEvent,
  EventData,
} from "../../src/event/cloud-event.js";

export function event(
  id: string,
  extra: {
    data?: EventData;
    datacontenttype?: string;
    time?: string;
    subject?: string;
    extensions?: [string, AttributeValue][];
  } = {},
) {
  return createCloudEvent({
    attributes: {
      specversion: "1.0",
      id,
      source: "/contract/suite",
      type: "dev.ce-gateway.contract",
      ...(extra.time === undefined ? {} : { time: extra.time }),
      ...(extra.subject === undefined ? {} : { subject: extra.subject }),
      ...(extra.datacontenttype === undefined ? {} : { datacontenttype: extra.datacontenttype }),
    },
    extensions: new Map(extra.extensions ?? []),
    data: extra.data,
  });
}

export const bytes = (text: string) => new TextEncoder().encode(text);

/** A round trip of JSON data, written as the exact text that must arrive. */
const jsonCase = (what: string, id: string, text: string): [string, CloudEvent] => [
  what,
  event(id, { datacontenttype: "application/json", data: new EventData(bytes(text), "json") }),
];

export function roundTripCases(prefix: string): [string, CloudEvent][] {
  return [
    jsonCase(
      "a JSON object, numbers and key order untouched",
      `${prefix}-object`,
      '{"z":1.0,"10":12345678901234567890,"a":[1.50]}',
    ),
    jsonCase("a JSON array", `${prefix}-array`, '[1,"two",null,{"x":1.0}]'),
    jsonCase("a JSON string", `${prefix}-string`, '"just a string"'),
    jsonCase("a JSON number", `${prefix}-number`, "1.0"),
    jsonCase("JSON null", `${prefix}-null`, "null"),
    [
      "binary data",
      event(`${prefix}-binary`, {
        datacontenttype: "application/octet-stream",
        data: new EventData(new Uint8Array([0, 1, 2, 127, 128, 253, 254, 255]), "binary"),
      }),
    ],
    [
      "text",
      event(`${prefix}-text`, {
        datacontenttype: "text/plain; charset=utf-8",
        data: new EventData(bytes("Grüße, 🌎"), "text"),
      }),
    ],
    ["no data", event(`${prefix}-nodata`)],
    // The shape client SDKs model best (a time in milliseconds, object data): SDK paths take these.
    [
      "a timed JSON object with a subject and extensions",
      event(`${prefix}-timed-object`, {
        time: "2026-11-30T12:00:00.123Z",
        subject: "orders/42",
        datacontenttype: "application/json",
        data: new EventData(bytes('{"order":42,"lines":[{"sku":"a","qty":2}],"note":null}'), "json"),
        extensions: [
          ["count", 7],
          ["flag", false],
          ["tenant", "eu-1"],
        ],
      }),
    ],
    [
      "timed binary data",
      event(`${prefix}-timed-binary`, {
        time: "2026-11-30T12:00:00.000Z",
        datacontenttype: "application/octet-stream",
        data: new EventData(new Uint8Array([255, 0, 128, 10]), "binary"),
      }),
    ],
    [
      "extensions and values that need percent-encoding",
      event(`${prefix}-extensions`, {
        extensions: [
          ["greeting", 'Euro € 😀 "quoted" 100% done'],
          ["count", 42],
          ["minimum", -2147483648],
          ["flag", true],
        ],
      }),
    ],
  ];
}
