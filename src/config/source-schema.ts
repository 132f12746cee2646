/**
 * JSON Schema of one entry of `ingest.sources`: the keys every source has,
 * and each source type's own options (from the source catalog).
 */
import type { JsonSchema } from "../adapter/adapter.js";
import type { SourceCatalog, SourceType } from "../sources/source.js";

export function sourceSchema(sources: SourceCatalog): JsonSchema {
  const types = Object.keys(sources);
  const common = {
    path: {
      type: "string",
      pattern: "^/(?:[A-Za-z0-9._~!$&'()*+,;=:@%/-]|\\{[a-z][A-Za-z0-9]*\\})*$",
      description:
        "The path the source answers POST on (no query); not /events, /healthz, /readyz or /status. A {name} part matches one or more characters other than / and : and is given to the source (/v1/projects/{project}/topics/{topic}:publish).",
    },
    type: {
      enum: types,
      description: types.map((t) => `${t}: ${(sources[t] as SourceType).description}`).join("; "),
    },
    maxBodyBytes: {
      type: "integer",
      minimum: 1,
      description: "Larger bodies get 413 (default: server.maxBodyBytes).",
    },
    ack: {
      enum: ["sync", "async"],
      description:
        "async: 202 once the events are durably in the outbox, then delivered (senders that never redeliver, like GitHub, lose nothing to a slow or down target); sync: 202 once delivered. Default: async when delivery.outbox is set, else sync.",
    },
    // A reference, not the schema itself: `common` is repeated in every source type's `then`, and the
    // validator compiles a referenced schema once (parse-config's inlineRefs: false) instead of once per type.
    cors: { $ref: "#/$defs/sourceCors" },
  };
  return {
    type: "object",
    required: ["path", "type"],
    properties: common,
    allOf: types.map((type) => {
      const options = (sources[type] as SourceType).optionsSchema as { properties?: Record<string, unknown> };
      return {
        if: { properties: { type: { const: type } } },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
        then: { ...options, properties: { ...common, ...options.properties }, additionalProperties: false },
      };
    }),
  };
}
