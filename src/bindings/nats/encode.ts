/**
 * CloudEvents -> NATS messages per the NATS protocol binding. Binary mode
 * writes every attribute, datacontenttype included, as a lower-case `ce-*`
 * header (percent-encoded, or raw when configured); structured mode sends
 * the JSON format with a `content-type` header.
 */
import { encodeHeaderValue, type HeaderEncoding, rawHeaderViolation } from "../../codec/header-value.js";
import { utf8Length } from "../../codec/utf8.js";
import type { CloudEvent } from "../../event/cloud-event.js";
import { toJsonFormat } from "../../event/json-format.js";
import { binaryAttributes } from "../binary-attributes.js";

export const STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";

export interface NatsPayload {
  /** Header name and value pairs, in order. */
  readonly headers: readonly (readonly [string, string])[];
  readonly data: Uint8Array;
}

/** A message for an event, or why the event cannot be sent as configured. */
export type NatsEncoded =
  | { readonly ok: true; readonly payload: NatsPayload }
  | { readonly ok: false; readonly reason: string };

export function structuredNatsMessage(event: CloudEvent): NatsPayload {
  return { headers: [["content-type", STRUCTURED_CONTENT_TYPE]], data: toJsonFormat(event) };
}

/**
 * Binary mode. Raw values go as they are (NATS headers are bytes, written
 * as UTF-8), except that CR or LF would end the header: such a value is refused.
 */
export function binaryNatsMessage(
  event: CloudEvent,
  headerEncoding: HeaderEncoding = "percent",
): NatsEncoded {
  const headers: [string, string][] = [];
  for (const [name, value] of binaryAttributes(event)) {
    const text = String(value);
    if (headerEncoding === "percent") {
      headers.push([`ce-${name}`, encodeHeaderValue(text)]);
      continue;
    }
    const violation = rawHeaderViolation(text);
    if (violation !== undefined)
      return { ok: false, reason: `ce-${name} ${violation} (headerEncoding: raw)` };
    headers.push([`ce-${name}`, text]);
  }
  return { ok: true, payload: { headers, data: event.data?.bytes ?? new Uint8Array(0) } };
}

/**
 * The bytes the server counts against max_payload: the header block
 * (`NATS/1.0\r\n`, `name: value\r\n` each, a blank line) plus the data.
 */
export function natsMessageSize(
  payload: NatsPayload,
  extraHeaders: readonly (readonly [string, string])[] = [],
): number {
  const all = [...payload.headers, ...extraHeaders];
  const headerBytes =
    all.length === 0 ? 0 : 12 + all.reduce((sum, [k, v]) => sum + utf8Length(k) + utf8Length(v) + 4, 0);
  return headerBytes + payload.data.length;
}
