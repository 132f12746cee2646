/**
 * An outbox record as a Cloudflare Queue message body (`bytes`): a frame the
 * gateway sizes exactly, because a queue message holds at most 128 KB with
 * its metadata and an event that cannot fit must be refused at ingress.
 *
 *   [u32 header length, big-endian][header: JSON, UTF-8][event bytes][original bytes]
 *
 * The header holds everything but the events (target, route, dead letter,
 * acceptance time, where the attempts stand); the events stay the bytes the
 * route stage wrote (the JSON event format), not escaped into a JSON string,
 * which would cost up to 6 bytes for a byte.
 */
import type { NewOutboxRecord, OutboxRecord, Rescheduled } from "../../deliver/outbox/outbox-store.js";
import { type RecordFields, recordFieldsOf } from "../../deliver/outbox/record-fields.js";

/** Cloudflare Queues: a message holds at most 128 KB (1 KB = 1,000 bytes), its metadata included. */
export const QUEUE_MESSAGE_BYTES = 128_000;
/** Cloudflare's documented allowance for a message's internal metadata ("up to ~100 bytes"). */
export const QUEUE_METADATA_BYTES = 100;
/**
 * Room kept in every message at ingress for what a retry adds to its header
 * (attempt count and times, the last error): a record that fits when
 * accepted must still fit when it is sent again with its attempts.
 */
export const RESCHEDULE_RESERVE_BYTES = 1_024;
/** The last error is cut to this many UTF-8 bytes (before JSON escaping) so the reserve holds it. */
const LAST_ERROR_BYTES = 640;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The record's fields, where its attempts stand, and where the original's bytes end. */
interface FrameHeader extends RecordFields {
  readonly attempts: number;
  readonly firstAttemptAt?: number;
  readonly lastAttemptAt?: number;
  readonly lastError?: string;
  readonly originalBytes?: number;
}

/** The largest body a message may carry. */
export const MAX_FRAME_BYTES = QUEUE_MESSAGE_BYTES - QUEUE_METADATA_BYTES;

function frame(header: FrameHeader, record: NewOutboxRecord): Uint8Array {
  const head = encoder.encode(JSON.stringify(header));
  const original = record.original ?? new Uint8Array(0);
  const bytes = new Uint8Array(4 + head.length + record.event.length + original.length);
  new DataView(bytes.buffer).setUint32(0, head.length);
  bytes.set(head, 4);
  bytes.set(record.event, 4 + head.length);
  bytes.set(original, 4 + head.length + record.event.length);
  return bytes;
}

function headerOf(record: NewOutboxRecord): FrameHeader {
  return {
    ...recordFieldsOf(record),
    attempts: 0,
    ...(record.original !== undefined && { originalBytes: record.original.length }),
  };
}

/** A record as the ingress appends it: no attempt yet. */
export function frameNewRecord(record: NewOutboxRecord): Uint8Array {
  return frame(headerOf(record), record);
}

/** The text cut to at most `bytes` UTF-8 bytes, on a character boundary. */
function cutUtf8(text: string, bytes: number): string {
  const { read } = encoder.encodeInto(text, new Uint8Array(bytes));
  return read < text.length ? text.slice(0, read) : text;
}

/**
 * A record sent again for a later attempt, with where its attempts stand.
 * Should the last error still not fit (JSON escaping can grow it), it is
 * left out: the record matters, its last error does not.
 */
export function frameRescheduled(record: OutboxRecord, update: Rescheduled): Uint8Array {
  const base = {
    ...headerOf(record),
    attempts: update.attempts,
    firstAttemptAt: update.firstAttemptAt,
    lastAttemptAt: update.lastAttemptAt,
  };
  const framed = frame({ ...base, lastError: cutUtf8(update.lastError, LAST_ERROR_BYTES) }, record);
  return framed.length <= MAX_FRAME_BYTES ? framed : frame(base, record);
}

/** Why a record can never travel as a queue message, or undefined when it can. */
export function whyTooLargeForQueue(record: NewOutboxRecord): string | undefined {
  const head = encoder.encode(JSON.stringify(headerOf(record))).length;
  const framed = 4 + head + record.event.length + (record.original?.length ?? 0);
  const needed = framed + RESCHEDULE_RESERVE_BYTES;
  if (needed <= MAX_FRAME_BYTES) return undefined;
  return (
    `As a Cloudflare Queues message the event needs ${needed + QUEUE_METADATA_BYTES} bytes ` +
    `(its record, ${RESCHEDULE_RESERVE_BYTES} bytes for retries and ${QUEUE_METADATA_BYTES} of metadata); ` +
    `a queue message holds at most ${QUEUE_MESSAGE_BYTES} bytes (128 KB)`
  );
}

export type UnframedRecord =
  | { readonly ok: true; readonly record: OutboxRecord }
  | { readonly ok: false; readonly reason: string };

function isHeader(value: unknown): value is FrameHeader {
  if (typeof value !== "object" || value === null) return false;
  const h = value as Record<string, unknown>;
  return (
    typeof h.target === "string" &&
    typeof h.acceptedAt === "number" &&
    typeof h.attempts === "number" &&
    typeof h.eventBytes === "number" &&
    (h.originalBytes === undefined || typeof h.originalBytes === "number")
  );
}

/** A message body back to the record it was framed from; `id` is the message's. */
export function unframeRecord(id: string, body: unknown): UnframedRecord {
  const bytes =
    body instanceof ArrayBuffer ? new Uint8Array(body) : ArrayBuffer.isView(body) ? body : undefined;
  if (!(bytes instanceof Uint8Array) || bytes.length < 4)
    return { ok: false, reason: "The message is not an outbox record (a bytes body)" };
  const headLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(0);
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(bytes.subarray(4, 4 + headLength)));
  } catch {
    return { ok: false, reason: "The message's record header is not JSON" };
  }
  if (!isHeader(header)) return { ok: false, reason: "The message's record header lacks a field" };
  const eventStart = 4 + headLength;
  const originalStart = eventStart + header.eventBytes;
  const end = originalStart + (header.originalBytes ?? 0);
  if (end !== bytes.length) return { ok: false, reason: "The message's length does not match its header" };
  const { eventBytes: _e, originalBytes: _o, ...state } = header;
  return {
    ok: true,
    record: {
      ...state,
      id,
      notBefore: 0,
      event: bytes.slice(eventStart, originalStart),
      ...(header.originalBytes !== undefined && { original: bytes.slice(originalStart, end) }),
    },
  };
}
