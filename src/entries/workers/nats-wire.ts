/**
 * What a request hands the NATS Durable Object and what it answers: events as
 * their plain parts (a Durable Object call copies data by structured clone,
 * which keeps no classes), and the adapter's outcomes as they are.
 */
import type { OutboundMessage, PublishOutcome } from "../../adapter/adapter.js";
import {
  type AttributeValue,
  type CloudEvent,
  type CoreAttributes,
  createCloudEvent,
  type DataEncoding,
  EventData,
} from "../../event/cloud-event.js";

export interface WireEvent {
  readonly attributes: CoreAttributes;
  readonly extensions: readonly (readonly [string, AttributeValue])[];
  readonly data?: { readonly bytes: Uint8Array; readonly encoding: DataEncoding };
  readonly encoded?: Uint8Array;
}

export interface WireMessage {
  readonly event: WireEvent;
  readonly address?: string;
  readonly orderingKey?: string;
}

/** The outcomes of one publish call, and the largest event the server takes (learned on connect). */
export interface NatsAnswer {
  readonly outcomes: readonly PublishOutcome[];
  readonly maxEventBytes: number;
}

export interface NatsReadiness {
  readonly ready: boolean;
  readonly maxEventBytes: number;
}

export function toWire(message: OutboundMessage): WireMessage {
  const { event } = message;
  return {
    event: {
      attributes: { ...event.attributes },
      extensions: [...event.extensions],
      ...(event.data !== undefined && { data: { bytes: event.data.bytes, encoding: event.data.encoding } }),
      ...(event.encoded !== undefined && { encoded: event.encoded }),
    },
    ...(message.address !== undefined && { address: message.address }),
    ...(message.orderingKey !== undefined && { orderingKey: message.orderingKey }),
  };
}

export function fromWire(wire: WireMessage): OutboundMessage {
  const event: CloudEvent = createCloudEvent({
    attributes: wire.event.attributes,
    extensions: new Map(wire.event.extensions),
    data:
      wire.event.data === undefined
        ? undefined
        : new EventData(wire.event.data.bytes, wire.event.data.encoding),
    encoded: wire.event.encoded,
  });
  return {
    event,
    ...(wire.address !== undefined && { address: wire.address }),
    ...(wire.orderingKey !== undefined && { orderingKey: wire.orderingKey }),
  };
}
