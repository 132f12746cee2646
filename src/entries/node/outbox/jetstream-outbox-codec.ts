/**
 * How an outbox record is laid out as a JetStream message, and which subject
 * it goes to. Subject: `<prefix>.<shard>.<target hex>` for a keyed record,
 * `<prefix>.u.<target hex>` for one without a key. The shard serializes a key
 * (see jetstream-outbox-store.ts); the target in the subject lets stats count
 * depth per target from the stream's per-subject counts alone, without
 * reading messages. Hex, because a target name may hold characters a subject
 * token may not ('.', '*', '>', spaces).
 *
 * The record's fields travel in one JSON header (`Outbox-Record`): JSON
 * escapes line breaks, so an ordering key taken from an event cannot break
 * the header block. The payload is the event bytes followed by the original's,
 * split at `eventBytes`: the events stay bytes, not re-encoded as text.
 */
import { type MsgHdrs, headers as natsHeaders } from "@nats-io/transport-node";
import type { NewOutboxRecord } from "../../../deliver/outbox/outbox-store.js";
import { type RecordFields, recordFieldsOf } from "../../../deliver/outbox/record-fields.js";

export const RECORD_HEADER = "Outbox-Record";
export const UNORDERED_TOKEN = "u";

const encoder = new TextEncoder();

export const targetToken = (target: string) => Buffer.from(target, "utf8").toString("hex");
export const targetOfToken = (token: string) => Buffer.from(token, "hex").toString("utf8");

/** FNV-1a (32 bit): stable across instances and versions, which is all a shard needs. */
export function shardOf(target: string, orderingKey: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(`${target}\n${orderingKey}`)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

export function subjectOf(prefix: string, record: NewOutboxRecord, shards: number): string {
  const group =
    record.orderingKey === undefined
      ? UNORDERED_TOKEN
      : String(shardOf(record.target, record.orderingKey, shards));
  return `${prefix}.${group}.${targetToken(record.target)}`;
}

/**
 * What a record's message counts against the server's max_payload (headers
 * and payload together): the header block `NATS/1.0\r\n`, the record's header
 * and the Nats-Msg-Id header (a UUID) as `Name: value\r\n` lines, the blank
 * line, then the payload.
 */
export function recordMessageBytes(record: NewOutboxRecord): number {
  const fields = encoder.encode(JSON.stringify(recordFieldsOf(record))).length;
  const headerBlock =
    "NATS/1.0\r\n".length + `${RECORD_HEADER}: \r\n`.length + fields + "Nats-Msg-Id: \r\n".length + 36 + 2;
  return headerBlock + record.event.length + (record.original?.length ?? 0);
}

export function encodeRecord(record: NewOutboxRecord): { headers: MsgHdrs; payload: Uint8Array } {
  const headers = natsHeaders();
  headers.set(RECORD_HEADER, JSON.stringify(recordFieldsOf(record)));
  const original = record.original ?? new Uint8Array(0);
  const payload = new Uint8Array(record.event.length + original.length);
  payload.set(record.event, 0);
  payload.set(original, record.event.length);
  return { headers, payload };
}

/** The record a message holds; throws when the message is not one (a foreign publisher on the subjects). */
export function decodeRecord(headers: MsgHdrs | undefined, payload: Uint8Array): NewOutboxRecord {
  const raw = headers?.get(RECORD_HEADER);
  if (raw === undefined || raw === "") throw new Error(`The message has no ${RECORD_HEADER} header`);
  const fields = JSON.parse(raw) as RecordFields;
  if (typeof fields.target !== "string" || typeof fields.eventBytes !== "number") {
    throw new Error(`The ${RECORD_HEADER} header is not an outbox record`);
  }
  const { eventBytes, ...rest } = fields;
  // Copies: the payload is a view into the connection's read buffer.
  const event = Uint8Array.from(payload.subarray(0, eventBytes));
  return {
    ...rest,
    event,
    ...(payload.length > eventBytes && { original: Uint8Array.from(payload.subarray(eventBytes)) }),
  };
}
