/**
 * CloudEvents -> Pub/Sub messages per Google's binding: binary mode puts
 * each attribute in a `ce-<name>` message attribute and datacontenttype in
 * `content-type`, the data in the message data; structured mode sends the
 * JSON event with `content-type: application/cloudevents+json; charset=UTF-8`.
 * Pub/Sub's limits are checked before anything is sent, never truncated.
 */
import { utf8Length } from "../../codec/utf8.js";
import type { CloudEvent } from "../../event/cloud-event.js";
import { toJsonFormat } from "../../event/json-format.js";
import { binaryAttributes } from "../binary-attributes.js";

export const LIMITS = {
  messageBytes: 10_000_000,
  attributes: 100,
  attributeKeyBytes: 256,
  attributeValueBytes: 1024,
} as const;

export const STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

export interface PubsubPayload {
  readonly data: Uint8Array;
  readonly attributes: Readonly<Record<string, string>>;
}

function binary(event: CloudEvent): PubsubPayload {
  const attributes: Record<string, string> = {};
  for (const [name, value] of binaryAttributes(event)) {
    attributes[name === "datacontenttype" ? "content-type" : `ce-${name}`] = String(value);
  }
  return { data: event.data?.bytes ?? new Uint8Array(0), attributes };
}

function structured(event: CloudEvent): PubsubPayload {
  return { data: toJsonFormat(event), attributes: { "content-type": STRUCTURED_CONTENT_TYPE } };
}

/** Why Pub/Sub would refuse this message, or undefined. */
export function limitViolation(payload: PubsubPayload): string | undefined {
  const entries = Object.entries(payload.attributes);
  if (entries.length > LIMITS.attributes)
    return `${entries.length} attributes (Pub/Sub allows ${LIMITS.attributes})`;
  for (const [key, value] of entries) {
    if (utf8Length(key) > LIMITS.attributeKeyBytes)
      return `attribute ${key} has a key over ${LIMITS.attributeKeyBytes} bytes`;
    if (utf8Length(value) > LIMITS.attributeValueBytes)
      return `attribute ${key} is over ${LIMITS.attributeValueBytes} bytes`;
  }
  return messageSize(payload) > LIMITS.messageBytes
    ? `the message is over ${LIMITS.messageBytes} bytes`
    : undefined;
}

/** Bytes counted against the 10 MB message limit: data plus attribute keys and values. */
export function messageSize(payload: PubsubPayload): number {
  return Object.entries(payload.attributes).reduce(
    (sum, [k, v]) => sum + utf8Length(k) + utf8Length(v),
    payload.data.length,
  );
}

export type Encoded =
  | { readonly ok: true; readonly payload: PubsubPayload }
  | { readonly ok: false; readonly reason: string };

/** The message for an event: binary if it fits, else structured (or refused, as configured). */
export function encodePubsubMessage(
  event: CloudEvent,
  mode: "binary" | "structured",
  oversize: "structured" | "refuse",
): Encoded {
  const first = mode === "binary" ? binary(event) : structured(event);
  const violation = limitViolation(first);
  if (violation === undefined) return { ok: true, payload: first };
  if (mode === "binary" && oversize === "structured") {
    const fallback = structured(event);
    const again = limitViolation(fallback);
    if (again === undefined) return { ok: true, payload: fallback };
    return { ok: false, reason: `Pub/Sub cannot carry the event: ${again}` };
  }
  return { ok: false, reason: `Pub/Sub cannot carry the event in ${mode} mode: ${violation}` };
}
