/**
 * How a `pubsub` target encodes an event, from its options alone: the Pub/Sub
 * binding's message (binary, or structured when binary breaks a limit and
 * `oversize` allows it), sized as the service counts it. Pure, so routing can
 * size events without an adapter; a message no mode fits is refused at
 * ingress with the limit it breaks.
 */
import type { EncodedMessage, TargetEncoding } from "../../src/adapter/adapter.js";
import {
  encodePubsubMessage,
  LIMITS,
  messageSize,
  type PubsubPayload,
} from "../../src/bindings/pubsub/encode.js";
import type { PubsubOptions } from "./options.js";

export function pubsubTargetEncoding(options: PubsubOptions): TargetEncoding {
  const mode = options.mode ?? "binary";
  const oversize = options.oversize ?? "structured";
  return {
    encode(message): EncodedMessage {
      const encoded = encodePubsubMessage(message.event, mode, oversize);
      if (!encoded.ok) return { ok: false, reason: encoded.reason, tooLarge: true };
      return { ok: true, wire: encoded.payload, size: messageSize(encoded.payload) };
    },
    maxEventBytes: LIMITS.messageBytes,
  };
}

/** The payload of a message this target's encoding produced. */
export const pubsubPayloadOf = (encoded: EncodedMessage & { ok: true }): PubsubPayload =>
  encoded.wire as PubsubPayload;
