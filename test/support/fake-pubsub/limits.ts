/**
 * The real service's publish limits, checked on a decoded request: at most
 * 1,000 messages and 10 MiB per request, 10 MiB per message, 100 attributes,
 * keys <= 256 bytes and not starting with `goog` (but for the client libraries'
 * `googclient_`), values <= 1024 bytes, and
 * no message without both data and attributes. Violations throw
 * INVALID_ARGUMENT. Sizes are counted on decoded bytes (data + attribute keys
 * and values + ordering key), the same for gRPC and REST.
 */
import { Code, PubsubError } from "./status.js";

export const LIMITS = {
  maxMessagesPerRequest: 1000,
  maxRequestBytes: 10 * 1024 * 1024,
  maxMessageBytes: 10 * 1024 * 1024,
  maxAttributes: 100,
  maxAttributeKeyBytes: 256,
  maxAttributeValueBytes: 1024,
} as const;

/** A message as both transports decode it. */
export interface IncomingMessage {
  readonly data: Uint8Array;
  readonly attributes: Record<string, string>;
  readonly orderingKey: string;
}

const encoder = new TextEncoder();
const byteLength = (s: string): number => encoder.encode(s).byteLength;

function tooLarge(what: string, passed: number, max: number): PubsubError {
  return new PubsubError(
    Code.INVALID_ARGUMENT,
    `The value for ${what} is too large. You passed ${passed} in the request, but the maximum value is ${max}.`,
  );
}

export function messageSize(message: IncomingMessage): number {
  let size = message.data.byteLength + byteLength(message.orderingKey);
  for (const [key, value] of Object.entries(message.attributes)) size += byteLength(key) + byteLength(value);
  return size;
}

/** Throws INVALID_ARGUMENT for the first limit the request breaks. */
export function checkPublishLimits(messages: readonly IncomingMessage[]): void {
  if (messages.length === 0) {
    throw new PubsubError(Code.INVALID_ARGUMENT, "The request must contain at least one message.");
  }
  if (messages.length > LIMITS.maxMessagesPerRequest) {
    throw tooLarge("message_count", messages.length, LIMITS.maxMessagesPerRequest);
  }
  let total = 0;
  for (const message of messages) {
    const entries = Object.entries(message.attributes);
    if (message.data.byteLength === 0 && entries.length === 0) {
      throw new PubsubError(
        Code.INVALID_ARGUMENT,
        "One or more messages in the publish request is empty. Each message must contain either non-empty data, or at least one attribute.",
      );
    }
    if (entries.length > LIMITS.maxAttributes) {
      throw tooLarge("attribute_count", entries.length, LIMITS.maxAttributes);
    }
    for (const [key, value] of entries) {
      const keyBytes = byteLength(key);
      if (keyBytes > LIMITS.maxAttributeKeyBytes) {
        throw tooLarge("attribute_key_size", keyBytes, LIMITS.maxAttributeKeyBytes);
      }
      // `googclient_` is the prefix Google's own client libraries write their trace context under
      // (@google-cloud/pubsub's OpenTelemetry support: `googclient_traceparent`); Google's emulator takes it.
      if (key.startsWith("goog") && !key.startsWith("googclient_")) {
        throw new PubsubError(
          Code.INVALID_ARGUMENT,
          `The attribute key "${key}" is reserved: attribute keys must not start with "goog".`,
        );
      }
      const valueBytes = byteLength(value);
      if (valueBytes > LIMITS.maxAttributeValueBytes) {
        throw tooLarge("attribute_value_size", valueBytes, LIMITS.maxAttributeValueBytes);
      }
    }
    const size = messageSize(message);
    if (size > LIMITS.maxMessageBytes) {
      throw new PubsubError(
        Code.INVALID_ARGUMENT,
        `Message size exceeds the limit: ${LIMITS.maxMessageBytes} bytes (message size: ${size} bytes).`,
      );
    }
    total += size;
  }
  if (total > LIMITS.maxRequestBytes) {
    throw new PubsubError(
      Code.INVALID_ARGUMENT,
      `Request payload size exceeds the limit: ${LIMITS.maxRequestBytes} bytes.`,
    );
  }
}
