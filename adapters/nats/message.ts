/**
 * CloudEvents <-> NATS messages per the NATS protocol binding. Binary mode
 * writes every attribute, datacontenttype included, as a lower-case `ce-*`
 * header (percent-encoded, or raw when configured); structured mode sends
 * the JSON format with a `content-type` header. Reading accepts both,
 * header names in any case.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import {
  decodeHeaderValue,
  encodeHeaderValue,
  type HeaderEncoding,
  rawHeaderViolation,
} from "../../src/codec/header-value.js";
import { encodeUtf8, utf8ByteString, utf8Length } from "../../src/codec/utf8.js";
import { decodeHttpRequest } from "../../src/decode/http-binding.js";
import type { RawAttribute, RawEvent } from "../../src/decode/raw-event.js";
import { binaryAttributes } from "../../src/event/binary-attributes.js";
import type { CloudEvent } from "../../src/event/cloud-event.js";
import { toJsonFormat } from "../../src/event/json-format.js";
import { normalizeEvents } from "../../src/normalize/normalize-event.js";

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

/** Reads a received NATS message as a CloudEvent (throws the gateway's invalid-event error when it is not one). */
export function decodeNatsMessage(headers: Iterable<[string, string[]]>, data: Uint8Array): CloudEvent {
  const entries = [...headers].map(([k, v]) => [k.toLowerCase(), v[0] ?? ""] as const);
  const contentType = entries.find(([k]) => k === "content-type")?.[1];
  if (contentType?.toLowerCase().startsWith("application/cloudevents")) {
    const decoded = decodeHttpRequest(new Headers({ "content-type": contentType }), data);
    const [event] = normalizeEvents(decoded.events);
    return event as CloudEvent;
  }
  const attributes: RawAttribute[] = [];
  const failures: RawEvent["failures"][number][] = [];
  for (const [header, raw] of entries) {
    if (!header.startsWith("ce-")) continue;
    const name = header.slice(3);
    // nats.js hands values over as text (the header block read as UTF-8); the decoder reads bytes.
    const decoded = decodeHeaderValue(utf8ByteString(raw));
    if (decoded.ok)
      attributes.push({ name, value: { kind: "string", value: decoded.value }, pointer: `/${name}`, header });
    else
      failures.push({
        index: 0,
        header,
        pointer: `/${name}`,
        code: decoded.code,
        detail: `${header} does not decode`,
      });
  }
  const raw: RawEvent = {
    index: 0,
    pointerPrefix: "",
    attributes,
    data: data.length === 0 ? undefined : { from: "body", bytes: data },
    encoded: undefined,
    failures,
  };
  return normalizeEvents([raw])[0] as CloudEvent;
}

/**
 * Hex SHA-256 of `source` + newline + `id`: the JetStream `Nats-Msg-Id` that
 * lets the stream drop duplicates. Synchronous (@noble/hashes, runs anywhere):
 * WebCrypto's digest is asynchronous and, on Node, a thread-pool round trip
 * per event on the publish path.
 */
export function messageIdOf(event: CloudEvent): string {
  return bytesToHex(sha256(encodeUtf8(`${event.attributes.source}\n${event.attributes.id}`)));
}
