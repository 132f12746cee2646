/**
 * CloudEvents as HTTP requests (HTTP binding): binary mode puts each
 * attribute in a percent-encoded `ce-*` header and the data in the body;
 * structured mode sends the JSON format; batched mode a JSON array.
 */
import { encodeHeaderValue } from "../../src/codec/header-value.js";
import { allAttributes, type CloudEvent } from "../../src/event/cloud-event.js";
import { toJsonBatch, toJsonFormat } from "../../src/event/json-format.js";

export interface HttpMessage {
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

export function binaryRequest(event: CloudEvent): HttpMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of allAttributes(event)) {
    // datacontenttype travels as Content-Type in HTTP binary mode.
    if (name === "datacontenttype") headers["content-type"] = String(value);
    else headers[`ce-${name}`] = encodeHeaderValue(String(value));
  }
  return { headers, body: event.data?.bytes ?? new Uint8Array(0) };
}

export function structuredRequest(event: CloudEvent): HttpMessage {
  return {
    headers: { "content-type": "application/cloudevents+json; charset=utf-8" },
    body: toJsonFormat(event),
  };
}

export function batchRequest(events: readonly CloudEvent[]): HttpMessage {
  return {
    headers: { "content-type": "application/cloudevents-batch+json; charset=utf-8" },
    body: toJsonBatch(events),
  };
}
