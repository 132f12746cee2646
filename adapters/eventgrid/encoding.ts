/**
 * How an `eventgrid` target encodes an event, from its options alone: the
 * JSON format (structured, as Event Grid takes CloudEvents), sized in bytes
 * against the per-event limit of a topic or a namespace. Pure, so routing can
 * size events without an adapter.
 */
import type { EncodedMessage, TargetEncoding } from "../../src/adapter/adapter.js";
import { toJsonFormat } from "../../src/event/json-format.js";
import { LIMITS } from "./batches.js";
import type { EventGridOptions } from "./options.js";

export function eventGridTargetEncoding(options: EventGridOptions): TargetEncoding {
  const limits = options.namespaceTopic !== undefined ? LIMITS.namespace : LIMITS.topic;
  return {
    encode(message): EncodedMessage {
      const bytes = toJsonFormat(message.event);
      return { ok: true, wire: bytes, size: bytes.length };
    },
    maxEventBytes: limits.maxEventBytes,
  };
}

/** The bytes of a message this target's encoding produced. */
export const eventGridBytesOf = (encoded: EncodedMessage): Uint8Array =>
  encoded.ok ? (encoded.wire as Uint8Array) : new Uint8Array(0);
