/**
 * CloudEvents -> HTTP requests per the HTTP binding: binary mode puts each
 * attribute in a `ce-*` header (percent-encoded, or raw when configured)
 * and the data in the body; structured mode sends the JSON format; batched
 * mode a JSON array.
 */
import { encodeHeaderValue, type HeaderEncoding, rawHeaderViolation } from "../../codec/header-value.js";
import { utf8ByteString } from "../../codec/utf8.js";
import type { CloudEvent } from "../../event/cloud-event.js";
import { toJsonBatch, toJsonFormat } from "../../event/json-format.js";
import { binaryAttributes } from "../binary-attributes.js";

export interface HttpMessage {
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

/** A request for an event, or why the event cannot be sent as configured. */
export type HttpEncoded =
  | { readonly ok: true; readonly message: HttpMessage }
  | { readonly ok: false; readonly reason: string };

/**
 * Whether this runtime's Headers takes any string and sends it as UTF-8
 * (workerd) rather than as a byte string, one character per byte (the Fetch
 * standard, followed by Node, which refuses characters above U+00FF).
 */
const headersTakeUnicode = (() => {
  try {
    new Headers({ probe: "\u20ac" });
    return true;
  } catch {
    return false;
  }
})();

/** A value as is, as UTF-8 on the wire: its bytes as a byte string where fetch wants one. */
const rawHeaderValue = (value: string): string => (headersTakeUnicode ? value : utf8ByteString(value));

export function binaryRequest(event: CloudEvent, headerEncoding: HeaderEncoding = "percent"): HttpEncoded {
  const headers: Record<string, string> = {};
  for (const [name, value] of binaryAttributes(event)) {
    const text = String(value);
    // datacontenttype travels as Content-Type in HTTP binary mode (a media type: plain ASCII).
    if (name === "datacontenttype") {
      headers["content-type"] = text;
    } else if (headerEncoding === "percent") {
      headers[`ce-${name}`] = encodeHeaderValue(text);
    } else {
      const violation = rawHeaderViolation(text);
      if (violation !== undefined)
        return { ok: false, reason: `ce-${name} ${violation} (headerEncoding: raw)` };
      headers[`ce-${name}`] = rawHeaderValue(text);
    }
  }
  return { ok: true, message: { headers, body: event.data?.bytes ?? new Uint8Array(0) } };
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
