/**
 * JSON Schema of the delivery settings (./delivery-config.ts): merged into
 * every target type's options, every route, and the `delivery` section.
 */
import type { JsonSchema } from "../adapter/adapter.js";
import { BREAKER_DEFAULTS } from "../deliver/circuit-breaker.js";
import { DEFAULT_DEDUP_MAX_ENTRIES, DEFAULT_DEDUP_WINDOW_MS } from "../deliver/dedup/dedup-store.js";
import { RETRY_DEFAULTS } from "../deliver/delivery-policy.js";
import { DEFAULT_OUTBOX_MAX_BYTES, DEFAULT_OUTBOX_MAX_RECORDS } from "../deliver/outbox/outbox-store.js";

const retry: JsonSchema = {
  type: "object",
  additionalProperties: false,
  description:
    "Retries of retriable failures (timeouts, unreachable, 5xx, 429): capped exponential backoff; a target's Retry-After overrides the computed delay. Without it: one attempt.",
  properties: {
    maxAttempts: {
      type: "integer",
      minimum: 1,
      maximum: 100,
      default: RETRY_DEFAULTS.maxAttempts,
      description: "Attempts in all, the first included.",
    },
    initialDelayMs: { type: "integer", minimum: 0, default: RETRY_DEFAULTS.initialDelayMs },
    maxDelayMs: { type: "integer", minimum: 0, default: RETRY_DEFAULTS.maxDelayMs },
    jitter: {
      enum: ["full", "none"],
      default: RETRY_DEFAULTS.jitter,
      description: "full: each delay drawn from [0, its cap]; none: the cap itself.",
    },
  },
};

/** Keys every target accepts beside its type's own options. */
export const targetDeliveryProperties: Readonly<Record<string, JsonSchema>> = {
  retry,
  maxInFlight: {
    type: "integer",
    minimum: 1,
    description:
      "Events being delivered to this target at once, per gateway process; more get 503 with Retry-After at once.",
  },
  circuitBreaker: {
    type: "object",
    additionalProperties: false,
    description:
      "Opens after failureThreshold consecutive retriable failures: requests routed here then get 503 at once, until one probe succeeds after coolDownMs.",
    properties: {
      failureThreshold: { type: "integer", minimum: 1, default: BREAKER_DEFAULTS.failureThreshold },
      coolDownMs: { type: "integer", minimum: 1, default: BREAKER_DEFAULTS.coolDownMs },
    },
  },
};

/** A target type's options schema with the delivery keys added (its own keys win: none share a name). */
export function withTargetDeliveryOptions(optionsSchema: JsonSchema): JsonSchema {
  const properties = (optionsSchema.properties ?? {}) as Record<string, JsonSchema>;
  return { ...optionsSchema, properties: { ...targetDeliveryProperties, ...properties } };
}

export const routeDeliveryProperties: Readonly<Record<string, JsonSchema>> = {
  retry,
  timeoutMs: {
    type: "integer",
    minimum: 1,
    description:
      "The time budget of a request this route matches, for all attempts (the shortest of the matched routes' applies); default: delivery.timeoutMs.",
  },
  ack: {
    enum: ["sync", "async"],
    default: "sync",
    description:
      "sync: 202 once every target took the event; async: 202 once it is durably in the outbox (delivery.outbox), then delivered with the same retries and dead letter.",
  },
  orderingKey: {
    type: "string",
    description:
      "With ack: async: a template over attributes (`{subject}`, `{tenant}`) whose value the outbox keeps order by, per target; default: the target's ordering key, else `{partitionkey}`. An event lacking the attribute has no order.",
  },
  deadLetter: {
    type: "string",
    description:
      "A target that takes an event one of this route's targets refuses for good, with the failure as extensions; the producer then gets 202.",
  },
};

const dedupStore: JsonSchema = {
  description:
    "Where seen events are remembered: memory (one instance), nats-kv (a JetStream key-value bucket several Node instances share), durable-object (Workers).",
  oneOf: [
    {
      type: "object",
      additionalProperties: false,
      required: ["type"],
      properties: { type: { enum: ["memory", "durable-object"] } },
    },
    {
      type: "object",
      additionalProperties: false,
      required: ["type", "bucket"],
      properties: {
        type: { const: "nats-kv" },
        url: { type: "string" },
        servers: { type: "array", items: { type: "string" }, minItems: 1 },
        bucket: { type: "string", pattern: "^[A-Za-z0-9_-]+$" },
        token: { type: "string" },
        user: { type: "string" },
        pass: { type: "string" },
      },
    },
  ],
};

const outboxMaxRecords: JsonSchema = {
  type: "integer",
  minimum: 1,
  default: DEFAULT_OUTBOX_MAX_RECORDS,
  description: "Deliveries waiting at most; beyond it, 503 with Retry-After.",
};

const outboxMaxBytes: JsonSchema = {
  type: "integer",
  minimum: 1,
  default: DEFAULT_OUTBOX_MAX_BYTES,
  description: "Bytes waiting at most; beyond it, 503 with Retry-After.",
};

export const deliverySectionSchema: JsonSchema = {
  type: "object",
  description: "How the gateway delivers: the request's time budget and idempotency by source + id.",
  additionalProperties: false,
  properties: {
    timeoutMs: {
      type: "integer",
      minimum: 1,
      default: 10000,
      description: "The budget for all attempts of one request; a matched route may set a shorter one.",
    },
    outbox: {
      description:
        "Where events accepted with `ack: async` wait until delivered: a log on local disk (one instance; each 202 once its record is fsynced, shared by the requests of one moment), a JetStream stream several instances share (each 202 once the stream acked the record), or, on Workers, a Cloudflare Queue (each 202 once the queue took the message).",
      oneOf: [
        {
          type: "object",
          additionalProperties: false,
          required: ["type", "dir"],
          properties: {
            type: { const: "log" },
            dir: { type: "string", description: "The log's folder, relative to the config file." },
            maxRecords: outboxMaxRecords,
            maxBytes: outboxMaxBytes,
          },
        },
        {
          type: "object",
          additionalProperties: false,
          required: ["type", "stream"],
          properties: {
            type: { const: "nats" },
            url: { type: "string" },
            servers: { type: "array", items: { type: "string" }, minItems: 1 },
            stream: { type: "string", pattern: "^[A-Za-z0-9_-]+$" },
            shards: {
              type: "integer",
              minimum: 1,
              maximum: 1024,
              default: 16,
              description:
                "Ordering keys hash into this many shards, each one in flight at a time across instances; fixed for the stream's life.",
            },
            ackWaitMs: {
              type: "integer",
              minimum: 1000,
              default: 60000,
              description: "How soon the records a dead instance held go to another.",
            },
            maxRecords: outboxMaxRecords,
            maxBytes: outboxMaxBytes,
          },
        },
        {
          type: "object",
          additionalProperties: false,
          required: ["type"],
          properties: {
            type: { const: "queue" },
            binding: {
              type: "string",
              pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
              default: "OUTBOX",
              description:
                "Workers only: the Cloudflare Queue producer binding records are sent to; the same Worker consumes the queue. Events larger than a queue message are refused (413); order is not kept.",
            },
          },
        },
      ],
    },
    dedup: {
      type: "object",
      additionalProperties: false,
      description:
        "A repeat of an event (same source and id) within the window is answered 202 duplicate and not delivered again; one that failed part-way goes again only where it did not arrive.",
      properties: {
        windowMs: { type: "integer", minimum: 1, default: DEFAULT_DEDUP_WINDOW_MS },
        maxEntries: { type: "integer", minimum: 1, default: DEFAULT_DEDUP_MAX_ENTRIES },
        store: dedupStore,
      },
    },
  },
};
