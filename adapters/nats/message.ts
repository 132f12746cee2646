/**
 * CloudEvents <-> NATS messages per the NATS protocol binding. Binary mode
 * writes every attribute, datacontenttype included, as a lower-case `ce-*`
 * header (percent-encoded); structured mode sends the JSON format with a
 * `content-type` header. Reading accepts both, header names in any case.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { decodeHeaderValue, encodeHeaderValue } from "../../src/codec/header-value.js";
import { encodeUtf8, utf8Length } from "../../src/codec/utf8.js";
import { decodeHttpRequest } from "../../src/decode/http-binding.js";
import type { RawAttribute, RawEvent } from "../../src/decode/raw-event.js";
import { allAttributes, type CloudEvent } from "../../src/event/cloud-event.js";
import { toJsonFormat } from "../../src/event/json-format.js";
import { normalizeEvents } from "../../src/normalize/normalize-event.js";

export const STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";

export interface NatsPayload {
  /** Header name and value pairs, in order. */
  readonly headers: readonly (readonly [string, string])[];
  readonly data: Uint8Array;
}

export function encodeNatsMessage(event: CloudEvent, mode: "binary" | "structured"): NatsPayload {
  if (mode === "structured")
    return { headers: [["content-type", STRUCTURED_CONTENT_TYPE]], data: toJsonFormat(event) };
  const headers: [string, string][] = [];
  for (const [name, value] of allAttributes(event))
    headers.push([`ce-${name}`, encodeHeaderValue(String(value))]);
  return { headers, data: event.data?.bytes ?? new Uint8Array(0) };
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
    const decoded = decodeHeaderValue(raw);
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
