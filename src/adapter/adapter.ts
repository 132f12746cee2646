/**
 * The adapter contract: what every delivery target implements. Adapters only
 * publish and classify the outcome; attempts, deadlines, retries and dead
 * letters belong to the delivery layer.
 */
import type { CloudEvent } from "../event/cloud-event.js";
import type { DeadlineTimers } from "./deadline-timers.js";
import type { SharedResources } from "./shared-resources.js";

export type ContentMode = "binary" | "structured";

export interface AdapterCapabilities {
  /** Publishes several events in one call efficiently (one request or batch). */
  readonly batching: boolean;
  /** Keeps per-key order when given ordering keys. */
  readonly orderingKeys: boolean;
  /** The broker drops duplicates of the same `source` + `id` by itself. */
  readonly brokerDedup: boolean;
  /** The content modes it can write. */
  readonly modes: readonly ContentMode[];
  /** Runs in workerd (no Node built-ins, fetch or WebSocket only). */
  readonly runsOnWorkers: boolean;
  /** The largest event it can carry, in bytes; may be learned on connect. */
  readonly maxEventBytes: number;
}

/** One event to publish, with where it goes (expanded by the router). */
export interface OutboundMessage {
  readonly event: CloudEvent;
  /** The target-specific address (subject, topic, URL path), once templates exist. */
  readonly address?: string;
  readonly orderingKey?: string;
  /**
   * The event as this target sends it, encoded once by the router (which
   * checked its size) with the target's own encoding; an adapter called
   * without it encodes the message itself.
   */
  readonly encoded?: EncodedMessage;
  /**
   * The key a broker with publish-side dedup (JetStream's `Nats-Msg-Id`)
   * drops repeats by; absent: derived from the event's `source` + `id`. A
   * dead letter sets its own, so one event dead-lettered from two targets is
   * stored twice.
   */
  readonly messageId?: string;
}

/** A message in a target's wire form, or why the target cannot send it. */
export type EncodedMessage =
  | { readonly ok: true; readonly wire: unknown; readonly size: number }
  | {
      readonly ok: false;
      readonly reason: string;
      /** The reason is the size: refused at ingress with 413, not at publish. */
      readonly tooLarge: boolean;
    };

/**
 * How a target's options encode events and how large an encoded event it can
 * carry: pure (no I/O, no adapter), so routing can size every event before
 * delivery, synchronously. `wire` is only ever read by the same target's
 * adapter, which knows its type.
 */
export interface TargetEncoding {
  encode(message: OutboundMessage): EncodedMessage;
  /** As far as the options say; a server may say otherwise once connected (the adapter's capabilities). */
  readonly maxEventBytes: number;
}

/**
 * One attempt, made by the delivery layer: the adapter bounds every wait by
 * `signal` and keeps no timeout of its own. A client API that takes a
 * timeout as a number gets `msUntil(deadline)` (./ms-until.ts).
 */
export interface PublishOptions {
  /**
   * Aborted at `deadline` (reason: a `TimeoutError` naming the target's
   * timeout or the request's deadline, whichever ended it) or when the
   * client goes away (an `AbortError`).
   */
  readonly signal: AbortSignal;
  /** Epoch milliseconds by which the attempt must finish: the request's deadline or the target's timeout, whichever comes first. */
  readonly deadline: number;
  /**
   * The trace context of this publish (W3C `traceparent`, `tracestate`), to
   * write into every message's transport headers (HTTP headers, NATS
   * headers, Pub/Sub attributes) as they are; absent when no tracing SDK is
   * registered. Never into the event: its `traceparent` extension is the
   * producer's.
   */
  readonly traceHeaders?: Readonly<Record<string, string>>;
}

/** What the target said it did with the event. */
export interface Receipt {
  /** Broker message id, stream sequence, or similar. */
  readonly id?: string;
  /** The broker recognised the event as a duplicate and did not store it again. */
  readonly duplicate?: boolean;
  readonly [detail: string]: unknown;
}

export type PublishOutcome =
  | { readonly status: "acked"; readonly receipt: Receipt }
  | { readonly status: "retriable"; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly status: "terminal"; readonly reason: string; readonly targetStatus?: number | string };

/** How the gateway's PRODUCER spans describe a target (OpenTelemetry messaging conventions). */
export interface AdapterTelemetry {
  /** `messaging.system`: nats, gcp_pubsub, eventgrid, http. */
  readonly system: string;
  readonly serverAddress?: string;
  readonly serverPort?: number;
  /**
   * Whether a message's address names its destination (a subject, a topic)
   * and may be shown; false when it may carry a secret (a URL): the
   * target's name is shown instead.
   */
  readonly addressIsDestination: boolean;
}

export interface Adapter {
  readonly type: string;
  readonly capabilities: AdapterCapabilities;
  /** What traces say of this target; absent: the system is the adapter's type, the destination the target's name. */
  readonly telemetry?: AdapterTelemetry;
  /** Publishes the messages; resolves to one outcome per message, in order. Never rejects for a broker failure. */
  publish(messages: readonly OutboundMessage[], options: PublishOptions): Promise<readonly PublishOutcome[]>;
  /** How this adapter encodes (the same as its descriptor's for its options); absent: JSON format, any size. */
  readonly encoding?: TargetEncoding;
  /** Whether the target can take events now (connected, authorised). */
  ready(): Promise<boolean>;
  /** Releases connections; safe to call more than once. */
  close(): Promise<void>;
}

/** Runtime services an adapter may need, passed in so the core stays runtime-neutral. */
export interface AdapterRuntime {
  /** Writes text to the process's standard output (stdout target). */
  readonly writeStdout: (text: string) => void | Promise<void>;
  readonly fetch: typeof fetch;
  /** Connections shared by the adapters of one gateway (one per NATS server set). */
  readonly shared: SharedResources;
  /**
   * Resolves on the event loop's next turn, after pending microtasks and the
   * I/O already read. Portable: `setTimeout(0)`; the Node entry injects
   * `setImmediate` (Node clamps `setTimeout(0)` to a millisecond, which a
   * NATS core publish would pay on every call).
   */
  readonly nextTurn: () => Promise<void>;
  /**
   * Whether work one request started (a token request in flight) may be
   * awaited by another. Portable: no, as workerd requires; the Node entry
   * injects yes, so concurrent callers share one token request.
   */
  readonly shareInFlight: boolean;
  /**
   * Timers for attempt deadlines. Portable: one setTimeout per deadline, as
   * workerd requires; the Node entry injects one shared deadline wheel.
   */
  readonly deadlines: DeadlineTimers;
}

/** A JSON Schema (draft 2020-12) describing a target's options. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * Which of a target's options are templates over event attributes
 * (`"events.{type}"`), expanded per event by the router.
 */
export interface TargetAddressing {
  /** The option holding the address template (a NATS subject, a Pub/Sub topic). */
  readonly address?: string;
  /** The option holding the ordering key template. */
  readonly orderingKey?: string;
  /** Why an expanded address cannot be used by this target; undefined when it can. */
  readonly checkAddress?: (address: string) => string | undefined;
}

/**
 * What the config loader and router know of a target type without loading its
 * adapter: small and static, so the whole config can be checked up front.
 */
export interface TargetDescriptor {
  readonly type: string;
  /** JSON Schema of the target's options (the `type` key included). */
  readonly optionsSchema: JsonSchema;
  readonly addressing: TargetAddressing;
  /** How long one attempt may take when the target's options give no `timeoutMs`. */
  readonly defaultTimeoutMs: number;
  /**
   * The target's encoding for its options (valid by `optionsSchema`, so each
   * descriptor names its own options type); absent: the JSON format, any size.
   */
  readonly encoding?: (options: never) => TargetEncoding;
  /**
   * Whether a target with these options can serve as a replayable dead
   * letter (its adapter reads back what it stored: ./dead-letter-store.ts);
   * absent: it cannot.
   */
  readonly readsBack?: (options: never) => boolean;
}

/** Creates adapters of one target type. SDKs are imported inside `create`, lazily. */
export interface AdapterFactory<Options = Record<string, unknown>> extends TargetDescriptor {
  create(options: Options, runtime: AdapterRuntime): Adapter | Promise<Adapter>;
}

export const acked = (receipt: Receipt = {}): PublishOutcome => ({ status: "acked", receipt });
export const retriable = (reason: string, retryAfterMs?: number): PublishOutcome =>
  retryAfterMs === undefined
    ? { status: "retriable", reason }
    : { status: "retriable", reason, retryAfterMs };
export const terminal = (reason: string, targetStatus?: number | string): PublishOutcome =>
  targetStatus === undefined ? { status: "terminal", reason } : { status: "terminal", reason, targetStatus };
