/**
 * The JSON Schema of the whole config file (version 1), assembled from the
 * gateway's own sections and each target type's options schema. Printed by
 * `ce-gateway config schema` for editors; the loader validates against it.
 */
import type { JsonSchema } from "../adapter/adapter.js";
import type { TargetCatalog, TargetType } from "../adapter/catalog.js";
import { authSchema } from "../auth/auth-schema.js";
import { corsSchema, sourceCorsSchema } from "../http/cors/cors-schema.js";
import { COMPATIBILITY_MODES } from "../schemas/compatibility-mode.js";
import { builtInSources } from "../sources/catalog.js";
import type { SourceCatalog } from "../sources/source.js";
import {
  deliverySectionSchema,
  routeDeliveryProperties,
  withTargetDeliveryOptions,
} from "./delivery-schema.js";
import { serverMetricsSchema, serverTlsSchema } from "./server-listener-schema.js";
import { sourceSchema } from "./source-schema.js";

const attributeMap = (what: string): JsonSchema => ({
  type: "object",
  description: `Attribute name to ${what}; every entry must match (case-sensitive). A missing attribute never matches.`,
  minProperties: 1,
  propertyNames: { pattern: "^[a-z0-9]+$" },
  additionalProperties: { type: "string" },
});

const filter: JsonSchema = {
  type: "object",
  description: "One filter of the CloudEvents Subscriptions API: exactly one dialect.",
  minProperties: 1,
  maxProperties: 1,
  properties: {
    exact: attributeMap("the exact value"),
    prefix: attributeMap("a prefix of the value"),
    suffix: attributeMap("a suffix of the value"),
    all: {
      type: "array",
      minItems: 1,
      items: { $ref: "#/$defs/filter" },
      description: "Every filter must match.",
    },
    any: {
      type: "array",
      minItems: 1,
      items: { $ref: "#/$defs/filter" },
      description: "At least one must match.",
    },
    not: { $ref: "#/$defs/filter", description: "Matches when the filter does not." },
    sql: {
      type: "string",
      minLength: 1,
      description: "A CESQL v1 expression; matches only on TRUE without error.",
    },
  },
  additionalProperties: false,
};

const transform: JsonSchema = {
  type: "object",
  description:
    "Reshapes what this route sends, with JSONata expressions compiled at load and evaluated under the request's step budget. Their input is the event in the JSON format: every attribute by its name, `data` as the parsed JSON value (JSON data) or the string (text data), and `data_base64` for binary data. The event a transform makes is checked like a received one (the core spec, then the schema registry for its type); a failure refuses the whole request with 422 transform-failed, naming the route and the attribute.",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    attributes: {
      type: "object",
      description:
        "Attribute name (core or extension; not specversion) to the JSONata expression giving its value; a quoted string ('com.example.x') is a constant. Nothing or null removes an optional attribute. Core attributes are Strings (1001 becomes \"1001\"); extensions keep an int32 integer as Integer and a boolean as Boolean, any other number becomes its text; an object or array is a failure.",
      minProperties: 1,
      propertyNames: { pattern: "^[a-z0-9]+$" },
      additionalProperties: { type: "string", minLength: 1 },
    },
    data: {
      type: "string",
      minLength: 1,
      description:
        "A JSONata expression whose result, serialized as JSON, becomes the data, with datacontenttype application/json unless `attributes` sets one; a result of nothing removes the data. Absent: the data is forwarded byte for byte.",
    },
  },
};

const reserved = (what: string): JsonSchema => ({
  type: "object",
  description: `Reserved for ${what}; no keys are accepted yet.`,
  additionalProperties: false,
});

const port = { type: "integer", minimum: 0, maximum: 65535 };

const validationMode = {
  enum: ["enforce", "warn", "off"],
  description: "enforce: violations get 422; warn: accepted, logged and counted; off: not checked.",
};

/** One `ingest.sources` entry: the options every source takes, then its type's own. */
export function configSchema(catalog: TargetCatalog, sources: SourceCatalog = builtInSources): JsonSchema {
  const types = Object.keys(catalog);
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "urn:ce-gateway:config:v1",
    title: "ce-gateway configuration, version 1",
    description:
      "Strings may use ${env:NAME}, ${env:NAME:-default} and ${file:PATH} (a secret mounted as a file); $${ writes a literal ${.",
    type: "object",
    additionalProperties: false,
    properties: {
      version: { const: 1, description: "The config format version." },
      server: {
        type: "object",
        additionalProperties: false,
        properties: {
          port: { ...port, default: 8080 },
          host: { type: "string", default: "127.0.0.1" },
          maxBodyBytes: {
            type: "integer",
            // CloudEvents intermediaries MUST forward events of up to 64 KiB.
            minimum: 65536,
            default: 1048576,
            description:
              "Larger bodies get 413; at least 64 KiB, which CloudEvents requires intermediaries to carry.",
          },
          maxBatchEvents: {
            type: "integer",
            minimum: 1,
            default: 1000,
            description:
              "A batch (application/cloudevents-batch+json) with more events gets 413, checked while the body is scanned.",
          },
          maxJsonDepth: {
            type: "integer",
            minimum: 1,
            maximum: 512,
            default: 64,
            description:
              "JSON bodies (structured, batch, binary-mode JSON data, sources) nested deeper get 400 json-too-deep, checked before anything parses them.",
          },
          maxJsonStringBytes: {
            type: "integer",
            minimum: 1,
            default: 1048576,
            description:
              "A JSON string (member names included) longer than this many bytes, as sent, gets 400 json-string-too-long.",
          },
          maxHeaderBytes: {
            type: "integer",
            minimum: 1024,
            default: 16384,
            description:
              "Node: a request line and headers larger than this get 431 headers-too-large (on Workers the platform's limit applies).",
          },
          maxHeaderCount: {
            type: "integer",
            minimum: 1,
            default: 100,
            description: "Node: a request with more header fields gets 431 headers-too-large.",
          },
          shutdownGraceMs: {
            type: "integer",
            minimum: 0,
            default: 10000,
            description:
              "On SIGTERM: how long the outbox dispatcher's deliveries in flight may take to finish before the log is closed (what was not delivered stays in the outbox).",
          },
          tls: serverTlsSchema,
          bodyTimeoutMs: {
            type: "integer",
            minimum: 100,
            default: 30000,
            description:
              "Node: a request whose headers and body have not all arrived in this time gets 408 request-timeout, and the connection is closed.",
          },
          maxConnections: {
            type: "integer",
            minimum: 1,
            default: 1024,
            description:
              "Node: connections beyond this many open ones get 503 overloaded on their request and are closed.",
          },
          maxInFlight: {
            type: "integer",
            minimum: 1,
            default: 256,
            description:
              "Node: requests beyond this many being handled at once get 503 overloaded with Retry-After at once; nothing queues.",
          },
          metrics: serverMetricsSchema,
        },
      },
      admin: {
        type: "object",
        description:
          "The admin listener (route explain, reload; later admin endpoints). Off unless configured.",
        additionalProperties: false,
        // One of tokens or the deprecated token is required: parse-config says so in one line.
        required: ["port"],
        properties: {
          port,
          host: { type: "string", default: "127.0.0.1" },
          tokens: {
            type: "array",
            minItems: 1,
            description:
              "Accepted admin tokens, stored as SHA-256 (ce-gateway auth hash); several at once let one be rotated while another works.",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["id", "sha256"],
              properties: {
                id: {
                  type: "string",
                  minLength: 1,
                  description: "Names the token in audit lines; never secret.",
                },
                sha256: {
                  type: "string",
                  pattern: "^[0-9a-f]{64}$",
                  description: "The token's SHA-256, lower-case hex.",
                },
              },
            },
          },
          token: {
            type: "string",
            minLength: 16,
            deprecated: true,
            description: "Deprecated: one plain-text bearer token. Use tokens.",
          },
        },
      },
      targets: {
        type: "object",
        description: "Delivery targets by name.",
        propertyNames: { pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$" },
        additionalProperties: {
          type: "object",
          required: ["type"],
          properties: { type: { enum: types } },
          allOf: types.map((type) => ({
            if: { properties: { type: { const: type } } },
            // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
            then: withTargetDeliveryOptions((catalog[type] as TargetType).descriptor.optionsSchema),
          })),
        },
      },
      routes: {
        type: "array",
        description:
          "Evaluated in order; an event goes once to each distinct target of every matching route, and once more for each route that reaches the same target with a different transform.",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["name", "to"],
          properties: {
            name: { type: "string", minLength: 1 },
            filters: {
              type: "array",
              items: { $ref: "#/$defs/filter" },
              description: "All must match; none means all events.",
            },
            to: { type: "array", minItems: 1, items: { type: "string" }, description: "Target names." },
            stop: {
              type: "boolean",
              default: false,
              description: "When this route matches, later routes are skipped.",
            },
            transform,
            trace: {
              type: "object",
              additionalProperties: false,
              properties: {
                addExtension: {
                  type: "boolean",
                  default: false,
                  description:
                    "An event this route sends without a `traceparent` extension gains the CloudEvents distributed-tracing extension (`traceparent`, `tracestate`) naming the trace the gateway received it in: its request span when a tracing SDK is registered, else the request's own `traceparent` header (none: nothing is added). A producer's extension is never changed. Off by default, since it changes the event; the event with the extension is what is sized against each target.",
                },
              },
            },
            ...routeDeliveryProperties,
          },
        },
      },
      unmatched: {
        enum: ["reject", "accept"],
        default: "reject",
        description: "An event no route matches: reject (422 no-route) or accept (202, delivered nowhere).",
      },
      delivery: deliverySectionSchema,
      ingest: {
        type: "object",
        description:
          "HTTP ingest: the webhook handshake, and sources for senders that do not speak CloudEvents.",
        additionalProperties: false,
        properties: {
          sources: {
            type: "array",
            description:
              "Each source answers POST on its own path and turns what it receives (GitHub webhooks, signed webhooks, plain JSON) into CloudEvents that go through the same validation and routes as POST /events.",
            items: sourceSchema(sources),
          },
          webhook: {
            type: "object",
            additionalProperties: false,
            properties: {
              allowedOrigins: { type: "array", items: { type: "string" }, default: ["*"] },
              allowedRate: {
                type: "integer",
                minimum: 1,
                description: "Requests per minute granted; absent: no limit.",
              },
            },
          },
        },
      },
      schemas: {
        type: "object",
        description:
          "The schema registry: data contracts enforced at ingress. Without this section, a schemas/ folder beside the config file is the registry (enforced) when it exists; `mode: off` opts out.",
        additionalProperties: false,
        properties: {
          dir: {
            type: "string",
            default: "./schemas",
            description: "Folder of <event type>/<n>.json (or .yaml) schemas, relative to the config file.",
          },
          mode: { ...validationMode, default: "enforce" },
          requireSchema: {
            type: "boolean",
            default: false,
            description: "Refuse (enforce) events whose type has no schema.",
          },
          compatibility: {
            enum: [...COMPATIBILITY_MODES],
            default: "BACKWARD",
            description: "What a newly registered version must keep compatible with.",
          },
          types: {
            type: "object",
            description: "Per event type overrides.",
            additionalProperties: {
              type: "object",
              additionalProperties: false,
              properties: { mode: validationMode },
            },
          },
          store: {
            description:
              "Where registered versions live: files (the dir) or a NATS JetStream key-value bucket every instance watches.",
            oneOf: [
              {
                type: "object",
                additionalProperties: false,
                required: ["type"],
                properties: { type: { const: "files" } },
              },
              {
                type: "object",
                additionalProperties: false,
                required: ["type", "url", "bucket"],
                properties: {
                  type: { const: "nats-kv" },
                  url: { type: "string" },
                  bucket: { type: "string", pattern: "^[A-Za-z0-9_-]+$" },
                  token: { type: "string" },
                },
              },
            ],
          },
        },
      },
      auth: authSchema,
      cors: corsSchema,
      observability: reserved("metrics, tracing and logging"),
    },
    $defs: { filter, sourceCors: sourceCorsSchema },
  };
}
