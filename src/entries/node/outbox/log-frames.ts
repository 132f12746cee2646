/**
 * How the outbox log is laid out on disk. A segment is a run of frames:
 * `[u32 payload length][u32 CRC-32 of the payload][payload]`, little-endian.
 * One frame is one atomic batch of entries (an `append` of several records,
 * a `complete` of several ids): recovery keeps a frame whole or drops it.
 * The payload is `[u32 header length][header: JSON entries][event bytes…]`:
 * the events stay bytes, as the producer sent them, not re-encoded as text.
 */
// zlib's CRC-32 (Node >= 22.2) is the IEEE one, in C: no table of our own needed.
import { crc32 } from "node:zlib";
import type { OutboxRecord, Rescheduled } from "../../../deliver/outbox/outbox-store.js";

export type LogEntry =
  /** First in every segment: ids continue from here even when every older segment is gone. */
  | { readonly kind: "segment"; readonly nextId: number }
  | { readonly kind: "put"; readonly record: OutboxRecord }
  | { readonly kind: "done"; readonly id: string }
  | { readonly kind: "retry"; readonly id: string; readonly update: Rescheduled };

/** Where a segment stops being readable, and why. */
export interface FrameDamage {
  readonly offset: number;
  readonly reason: string;
}

export interface DecodedSegment {
  readonly batches: LogEntry[][];
  /** Bytes from the start that hold whole, valid frames. */
  readonly validLength: number;
  readonly damage: FrameDamage | undefined;
}

const FRAME_HEADER = 8;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

type HeaderEntry =
  | Exclude<LogEntry, { kind: "put" }>
  | ({ readonly kind: "put"; readonly eventLength: number } & Omit<OutboxRecord, "event">);

export function encodeFrame(entries: readonly LogEntry[]): Uint8Array {
  const events: Uint8Array[] = [];
  const header: HeaderEntry[] = entries.map((entry) => {
    if (entry.kind !== "put") return entry;
    const { event, ...rest } = entry.record;
    events.push(event);
    return { kind: "put", ...rest, eventLength: event.length };
  });
  const headerBytes = encoder.encode(JSON.stringify(header));
  const eventsLength = events.reduce((sum, event) => sum + event.length, 0);
  const payloadLength = 4 + headerBytes.length + eventsLength;
  const frame = new Uint8Array(FRAME_HEADER + payloadLength);
  const view = new DataView(frame.buffer);
  view.setUint32(FRAME_HEADER, headerBytes.length, true);
  frame.set(headerBytes, FRAME_HEADER + 4);
  let at = FRAME_HEADER + 4 + headerBytes.length;
  for (const event of events) {
    frame.set(event, at);
    at += event.length;
  }
  view.setUint32(0, payloadLength, true);
  view.setUint32(4, crc32(frame.subarray(FRAME_HEADER)), true);
  return frame;
}

/** Reads frames until the end or the first one that is cut short or fails its CRC. */
export function decodeSegment(bytes: Uint8Array): DecodedSegment {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const batches: LogEntry[][] = [];
  let offset = 0;
  const stop = (reason: string): DecodedSegment => ({
    batches,
    validLength: offset,
    damage: { offset, reason },
  });
  while (offset < bytes.length) {
    if (bytes.length - offset < FRAME_HEADER) return stop("a frame header cut short");
    const length = view.getUint32(offset, true);
    // A payload always holds its header length: a zero length is a hole, not a frame.
    if (length < 4) return stop(`an impossible frame length ${length}`);
    if (offset + FRAME_HEADER + length > bytes.length) return stop("a frame cut short");
    const payload = bytes.subarray(offset + FRAME_HEADER, offset + FRAME_HEADER + length);
    if (crc32(payload) !== view.getUint32(offset + 4, true)) return stop("a frame failing its CRC-32");
    const entries = decodePayload(payload);
    if (entries === undefined) return stop("a frame whose entries cannot be read");
    batches.push(entries);
    offset += FRAME_HEADER + length;
  }
  return { batches, validLength: offset, damage: undefined };
}

function decodePayload(payload: Uint8Array): LogEntry[] | undefined {
  try {
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    const headerLength = view.getUint32(0, true);
    const header = JSON.parse(decoder.decode(payload.subarray(4, 4 + headerLength))) as HeaderEntry[];
    let at = 4 + headerLength;
    const entries = header.map((entry): LogEntry => {
      if (entry.kind !== "put") return entry;
      const { kind: _, eventLength, ...record } = entry;
      const event = payload.slice(at, at + eventLength);
      at += eventLength;
      return { kind: "put", record: { ...record, event } };
    });
    return at === payload.length ? entries : undefined;
  } catch {
    return undefined;
  }
}
