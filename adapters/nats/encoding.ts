/**
 * How a `nats` target encodes an event, from its options alone: the binding's
 * message (binary, or structured when JetStream would refuse the header
 * block), sized as the server counts it (headers JetStream adds included)
 * against the default max_payload. Pure, so routing can size events without
 * an adapter; the adapter publishes what it produced.
 */
import type { EncodedMessage, TargetEncoding } from "../../src/adapter/adapter.js";
import {
  binaryNatsMessage,
  type NatsPayload,
  natsMessageSize,
  structuredNatsMessage,
} from "../../src/bindings/nats/encode.js";
import { utf8Length } from "../../src/codec/utf8.js";
import type { CloudEvent } from "../../src/event/cloud-event.js";
import { DEFAULT_MAX_PAYLOAD } from "./connection.js";
import type { NatsOptions } from "./options.js";

export const MSG_ID_HEADER = "Nats-Msg-Id";
/** Hex SHA-256: what every message id takes in the header block. */
const MSG_ID_SIZE = 64;

/** JetStream refuses a header block over 64 KiB: larger ones would turn an event JetStream could carry into a failure. */
const MAX_JETSTREAM_HEADER_BYTES = 65_535;

export function natsTargetEncoding(options: NatsOptions): TargetEncoding {
  const mode = options.mode ?? "binary";
  const useJetStream = options.jetstream !== undefined;
  // The headers JetStream publishing adds count against max_payload too.
  const jetStreamHeaders: [string, string][] = useJetStream ? [[MSG_ID_HEADER, "x".repeat(MSG_ID_SIZE)]] : [];
  if (options.jetstream?.stream !== undefined)
    jetStreamHeaders.push(["Nats-Expected-Stream", options.jetstream.stream]);
  const sized = (payload: NatsPayload): EncodedMessage => ({
    ok: true,
    wire: payload,
    size: natsMessageSize(payload, jetStreamHeaders),
  });
  const encodeEvent = (event: CloudEvent): EncodedMessage => {
    if (mode === "structured") return sized(structuredNatsMessage(event));
    const binary = binaryNatsMessage(event, options.headerEncoding);
    if (!binary.ok) return { ok: false, reason: binary.reason, tooLarge: false };
    if (!useJetStream) return sized(binary.payload);
    const headerBytes = natsMessageSize(
      { headers: binary.payload.headers, data: new Uint8Array(0) },
      jetStreamHeaders,
    );
    return sized(headerBytes > MAX_JETSTREAM_HEADER_BYTES ? structuredNatsMessage(event) : binary.payload);
  };
  /** A message id of its own (a dead letter's) takes its own length in the header block, not a hash's. */
  const withMessageId = (encoded: EncodedMessage, messageId: string): EncodedMessage =>
    encoded.ok ? { ...encoded, size: encoded.size + utf8Length(messageId) - MSG_ID_SIZE } : encoded;
  return {
    encode: (message) =>
      useJetStream && message.messageId !== undefined
        ? withMessageId(encodeEvent(message.event), message.messageId)
        : encodeEvent(message.event),
    maxEventBytes: DEFAULT_MAX_PAYLOAD,
  };
}

/** The payload of a message this target's encoding produced. */
export const natsPayloadOf = (encoded: EncodedMessage & { ok: true }): NatsPayload =>
  encoded.wire as NatsPayload;
