/**
 * Writes events in the CloudEvents JSON format. An event that arrived in the
 * JSON format is written as the bytes that came in; otherwise attributes are
 * serialized and the data bytes are spliced in untouched (never parsed and
 * re-serialized, which would change numbers and key order).
 */
import { encodeBase64 } from "../codec/base64.js";
import { stripJsonWhitespace } from "../codec/json-scan.js";
import { encodeUtf8, utf8Length } from "../codec/utf8.js";
import { allAttributes, type CloudEvent } from "./cloud-event.js";

function dataMember(event: CloudEvent): string | Uint8Array | undefined {
  const data = event.data;
  if (data === undefined) return undefined;
  switch (data.encoding) {
    case "json":
      return data.bytes;
    case "text":
      return `"data":${JSON.stringify(data.text() ?? "")}`;
    case "binary":
      return `"data_base64":"${encodeBase64(data.bytes)}"`;
  }
}

/** The event as one JSON object (`application/cloudevents+json`). */
export function toJsonFormat(event: CloudEvent): Uint8Array {
  if (event.encoded !== undefined) return event.encoded;
  let head = "{";
  for (const [name, value] of allAttributes(event)) {
    head += `${head.length > 1 ? "," : ""}${JSON.stringify(name)}:${JSON.stringify(value)}`;
  }
  const data = dataMember(event);
  if (data === undefined) return encodeUtf8(`${head}}`);
  if (typeof data === "string") return encodeUtf8(`${head},${data}}`);
  const prefix = encodeUtf8(`${head},"data":`);
  const out = new Uint8Array(prefix.length + data.length + 1);
  out.set(prefix, 0);
  out.set(data, prefix.length);
  out[out.length - 1] = 0x7d;
  return out;
}

/** The event as one line of JSON (newline-delimited output such as stdout). */
export function toJsonLine(event: CloudEvent): Uint8Array {
  const json = toJsonFormat(event);
  // JSON strings cannot hold raw line breaks, so any CR/LF is whitespace.
  return json.includes(0x0a) || json.includes(0x0d) ? stripJsonWhitespace(json) : json;
}

/** A batch in the JSON format (`application/cloudevents-batch+json`). */
export function toJsonBatch(events: readonly CloudEvent[]): Uint8Array<ArrayBuffer> {
  return joinJsonArray(events.map(toJsonFormat));
}

/** `[p1,p2,...]` from JSON texts already encoded, copied once and never re-encoded. */
export function joinJsonArray(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const size = 2 + Math.max(0, parts.length - 1) + parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(size);
  let pos = 0;
  out[pos++] = 0x5b;
  parts.forEach((part, i) => {
    if (i > 0) out[pos++] = 0x2c;
    out.set(part, pos);
    pos += part.length;
  });
  out[pos] = 0x5d;
  return out;
}

/**
 * The event's size in the JSON format, or for other events an estimate (the
 * data bytes plus every attribute's name and value), used to refuse at
 * ingress an event no matched target could carry. An adapter that knows its
 * exact encoding declares it (`encoding`), which the router prefers.
 */
export function eventWireSize(event: CloudEvent): number {
  if (event.encoded !== undefined) return event.encoded.length;
  let size = event.data?.bytes.length ?? 0;
  for (const [name, value] of allAttributes(event)) {
    size += name.length + 6 + (typeof value === "string" ? utf8Length(value) : String(value).length);
  }
  return size;
}
