/**
 * What both Pub/Sub clients (gRPC on Node, REST anywhere) offer the adapter:
 * publish messages to a topic, each answered with a message id or a
 * classified failure.
 */
import { type PublishOutcome, retriable, terminal } from "../../src/adapter/adapter.js";
import type { PubsubPayload } from "../../src/bindings/pubsub/encode.js";

export interface PubsubMessage extends PubsubPayload {
  readonly orderingKey?: string;
}

export interface Publisher {
  /** Resolves to one outcome per message, in order; never rejects for a service failure. */
  publish(topic: string, messages: readonly PubsubMessage[], signal: AbortSignal): Promise<PublishOutcome[]>;
  close(): Promise<void>;
}

/** gRPC status names, as the REST API also reports them in `error.status`. */
const RETRIABLE = new Set([
  "UNAVAILABLE",
  "DEADLINE_EXCEEDED",
  "RESOURCE_EXHAUSTED",
  "ABORTED",
  "INTERNAL",
  "UNKNOWN",
  "CANCELLED",
]);

/** Google's guidance: these may succeed on retry; NOT_FOUND, INVALID_ARGUMENT, PERMISSION_DENIED and the rest will not. */
export function classifyStatus(status: string, message: string, httpStatus?: number): PublishOutcome {
  const reason = `Pub/Sub ${status}: ${message}`;
  return RETRIABLE.has(status) ? retriable(reason) : terminal(reason, httpStatus ?? status);
}

export const GRPC_STATUS_NAMES = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
] as const;
