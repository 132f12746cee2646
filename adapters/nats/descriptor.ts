/** The `nats` target's options and addressing (loaded without the adapter or its SDK). */
import type { TargetDescriptor } from "../../src/adapter/adapter.js";
import { timeoutOption } from "../../src/adapter/timeout-option.js";
import { natsSubjectViolation } from "../../src/bindings/address-rules.js";
import { natsTargetEncoding } from "./encoding.js";
import type { NatsOptions } from "./options.js";

/** How long one attempt may take when the options give no timeoutMs. */
export const DEFAULT_TIMEOUT_MS = 5_000;

export const natsDescriptor: TargetDescriptor = {
  type: "nats",
  optionsSchema: {
    type: "object",
    description: "Publishes to NATS, core or JetStream, per the CloudEvents NATS binding.",
    properties: {
      type: { const: "nats" },
      url: { type: "string", description: "Server URL, e.g. nats://127.0.0.1:4222." },
      servers: {
        type: "array",
        items: { type: "string" },
        minItems: 1,
        description: "Several server URLs (instead of url).",
      },
      subject: { type: "string", minLength: 1, description: "Subject template, e.g. events.{type}." },
      mode: { enum: ["binary", "structured"], default: "binary" },
      headerEncoding: {
        enum: ["percent", "raw"],
        default: "percent",
        description:
          "Binary mode: percent-encode ce-* values as the binding says, or send them raw (UTF-8 as is) for receivers on sdk-go or Knative, which never decode.",
      },
      jetstream: {
        type: "object",
        description: "Present: publish through JetStream and wait for the stream's acknowledgement.",
        additionalProperties: false,
        properties: { stream: { type: "string", description: "The stream that must store the events." } },
      },
      token: { type: "string" },
      user: { type: "string" },
      pass: { type: "string" },
      nkey: { type: "string", description: "An NKey seed (SU...)." },
      creds: { type: "string", description: "Path to a .creds file." },
      tls: {
        type: "object",
        additionalProperties: false,
        properties: {
          ca: { type: "string", description: "CA certificate file." },
          cert: { type: "string", description: "Client certificate file." },
          key: { type: "string", description: "Client key file." },
        },
      },
      timeoutMs: timeoutOption(DEFAULT_TIMEOUT_MS),
      reconnectWaitMs: { type: "integer", minimum: 10, default: 250 },
    },
    required: ["type", "subject"],
    oneOf: [{ required: ["url"] }, { required: ["servers"] }],
    additionalProperties: false,
  },
  addressing: { address: "subject", checkAddress: natsSubjectViolation },
  defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
  encoding: (options: NatsOptions) => natsTargetEncoding(options),
  // A stream keeps what was published and can be read back; core NATS keeps nothing.
  readsBack: (options: NatsOptions) => options.jetstream !== undefined,
};
