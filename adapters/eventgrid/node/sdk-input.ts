/**
 * When `@azure/eventgrid` would send an event unchanged. Its CloudEvent model
 * rewrites what it does not expect: array data becomes an object, string,
 * number and null data are refused or dropped, a missing `time` or
 * `datacontenttype` is invented, and `time` is re-printed from a Date (to
 * milliseconds). An event goes through the SDK only when none of that can
 * happen, so that what arrives is what the gateway accepted.
 */
import type { SendCloudEventInput } from "@azure/eventgrid";
import { decodeBase64 } from "../../../src/codec/base64.js";

const CORE = new Set([
  "specversion",
  "id",
  "source",
  "type",
  "time",
  "subject",
  "dataschema",
  "datacontenttype",
  "data",
  "data_base64",
]);

const utf8 = new TextDecoder();

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The SDK's input for an event in the JSON format, or undefined when the SDK would alter it. */
export function sdkInputFor(encoded: Uint8Array): SendCloudEventInput<unknown> | undefined {
  const text = utf8.decode(encoded);
  const event = JSON.parse(text) as Record<string, unknown>;
  // Re-serializing must give back the same text: no number loses digits, no escape changes.
  if (JSON.stringify(event) !== text) return undefined;
  const { time, datacontenttype } = event;
  if (typeof time !== "string" || typeof datacontenttype !== "string") return undefined;
  const date = new Date(time);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== time) return undefined;
  let data: unknown;
  if ("data" in event) {
    // The SDK copies the top level key by key; "__proto__" would not survive that.
    if (!isPlainObject(event.data) || Object.hasOwn(event.data, "__proto__")) return undefined;
    data = event.data;
  } else if (typeof event.data_base64 === "string") {
    data = decodeBase64(event.data_base64);
    if (data === undefined) return undefined;
  }
  const extensionAttributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(event)) {
    if (!CORE.has(name)) extensionAttributes[name] = value;
  }
  return {
    id: event.id as string,
    source: event.source as string,
    type: event.type as string,
    time: date,
    datacontenttype,
    ...(typeof event.subject === "string" && { subject: event.subject }),
    ...(typeof event.dataschema === "string" && { dataschema: event.dataschema }),
    ...(data !== undefined && { data }),
    ...(Object.keys(extensionAttributes).length > 0 && { extensionAttributes }),
  };
}
