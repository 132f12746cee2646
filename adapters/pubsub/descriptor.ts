/** The `pubsub` target's options and addressing (loaded without the adapter or its SDK). */

import type { TargetDescriptor } from "../../src/adapter/adapter.js";
import { timeoutOption } from "../../src/adapter/timeout-option.js";
import { pubsubTargetEncoding } from "./encoding.js";
import type { PubsubOptions } from "./options.js";

/** Pub/Sub topic ids: 3-255 characters, a letter first, no "goog" prefix. */
export function topicViolation(topic: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/.test(topic))
    return "is not a valid Pub/Sub topic id (3-255 of A-Z a-z 0-9 - _ . ~ + %, a letter first)";
  return topic.toLowerCase().startsWith("goog") ? 'must not start with "goog"' : undefined;
}

/** How long one attempt may take when the options give no timeoutMs. */
const DEFAULT_TIMEOUT_MS = 10_000;

export const pubsubDescriptor: TargetDescriptor = {
  type: "pubsub",
  optionsSchema: {
    type: "object",
    description: "Publishes to Google Cloud Pub/Sub per Google's CloudEvents Pub/Sub binding.",
    properties: {
      type: { const: "pubsub" },
      projectId: { type: "string", minLength: 1 },
      topic: { type: "string", minLength: 1, description: "Topic id template, e.g. events-{type}." },
      orderingKey: {
        type: "string",
        description: "Ordering key template; default: the partitionkey extension when present.",
      },
      mode: { enum: ["binary", "structured"], default: "binary" },
      api: {
        enum: ["grpc", "rest"],
        default: "grpc",
        description: "grpc: the official client (Node); rest: fetch (any runtime).",
      },
      apiEndpoint: {
        type: "string",
        description: "host:port of an emulator or a private endpoint (no credentials then).",
      },
      credentials: {
        type: "object",
        additionalProperties: false,
        properties: { keyFile: { type: "string" }, keyJson: { type: "string" } },
        description: "A service-account key; default: Application Default Credentials.",
      },
      oversize: {
        enum: ["structured", "refuse"],
        default: "structured",
        description:
          "An event binary mode cannot carry (attribute limits): send it structured, or refuse it.",
      },
      batching: {
        type: "object",
        additionalProperties: false,
        properties: {
          maxMessages: { type: "integer", minimum: 1 },
          maxBytes: { type: "integer", minimum: 1 },
          maxDelayMs: { type: "integer", minimum: 0 },
        },
      },
      timeoutMs: timeoutOption(DEFAULT_TIMEOUT_MS),
    },
    required: ["type", "projectId", "topic"],
    additionalProperties: false,
  },
  addressing: { address: "topic", orderingKey: "orderingKey", checkAddress: topicViolation },
  defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
  encoding: (options: PubsubOptions) => pubsubTargetEncoding(options),
};
