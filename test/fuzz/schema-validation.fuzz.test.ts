/**
 * Data validated against the schema registry at ingress: any data (JSON
 * values, raw JSON text with numbers past double range, duplicate keys and
 * deep nesting, bytes that are not JSON), any dataschema, in structured and
 * binary mode. Every answer is sound, and a 202 delivers the event once.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMemoryAdapter } from "../../adapters/memory/index.js";
import { createGateway } from "../../src/entries/node/create-gateway.js";
import { registryValidator } from "../../src/schemas/registry-validator.js";
import { createAjvCompiler } from "../../src/schemas/schema-compiler.js";
import { SchemaRegistry } from "../../src/schemas/schema-registry.js";
import { toSchemaVersion } from "../../src/schemas/schema-version.js";
import { countCase, FUZZ_TIMEOUT_MS, fuzzParameters } from "./fuzz-budget.js";
import { answerOf, expectSound, failOnUnhandledRejections } from "./soundness.js";

failOnUnhandledRejections();

const ORDER = "com.example.order.created";
const SCHEMAS = [
  toSchemaVersion(ORDER, 1, {
    $id: "https://schemas.example/order/1",
    type: "object",
    required: ["orderId"],
    properties: {
      orderId: { type: "integer" },
      total: { type: "number", maximum: 1e9 },
      tags: { type: "array", items: { type: "string", maxLength: 8 }, uniqueItems: true },
      email: { type: "string", format: "email" },
      nested: { $ref: "#" },
    },
  }),
  toSchemaVersion(ORDER, 2, {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://schemas.example/order/2",
    type: "object",
    required: ["orderId", "channel"],
    properties: {
      orderId: { type: "integer" },
      channel: { enum: ["web", "store"] },
      at: { format: "date-time" },
    },
    additionalProperties: false,
  }),
];

const dataText = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .record({
      orderId: fc.oneof(fc.integer(), fc.constantFrom("1e400", "9007199254740993", "1.0", "-0", '"1"')),
      total: fc.constantFrom("1e400", "-1e400", "1e9", "12.50", "null"),
      tags: fc.constantFrom('["a","a"]', '["a","b"]', "[]", '["very long tag"]'),
      email: fc.constantFrom('"a@b.example"', '"not an email"', '""'),
    })
    .map(
      (r) =>
        `{${Object.entries(r)
          .map(([k, v]) => `"${k}":${v}`)
          .join(",")}}`,
    ),
  fc.constantFrom('{"orderId":1,"orderId":"x"}', '{"orderId":1,"channel":"web","channel":"fax"}'),
  fc
    .integer({ min: 1, max: 3000 })
    .map((n) => `{"orderId":1,"nested":${'{"orderId":1,"nested":'.repeat(n)}{"orderId":1}${"}".repeat(n)}}`),
  fc.string({ unit: "binary", maxLength: 40 }),
);

const dataschema = fc.option(
  fc.oneof(
    fc.constantFrom(
      "https://schemas.example/order/1",
      "https://schemas.example/order/2",
      "https://schemas.example/nope/9",
    ),
    fc.webUrl(),
    fc.string({ maxLength: 20 }),
  ),
);

describe("schema validation at ingress, fuzzed", () => {
  it(
    "answers any data and dataschema soundly in structured and binary mode",
    async () => {
      const memory = createMemoryAdapter();
      const gateway = createGateway(
        { routes: [{ name: "all", to: ["m"] }] },
        {
          targets: { m: memory },
          validator: registryValidator(new SchemaRegistry(createAjvCompiler(), SCHEMAS), {
            mode: "enforce",
            requireSchema: false,
            types: {},
          }),
        },
      );
      let serial = 0;
      const codes = new Set<string>();
      await fc.assert(
        fc.asyncProperty(
          dataText,
          dataschema,
          fc.boolean(),
          fc.constantFrom(ORDER, "com.example.other"),
          async (data, schema, binary, type) => {
            countCase();
            memory.clear();
            const id = `schema-${++serial}`;
            const request = binary
              ? {
                  headers: {
                    "ce-specversion": "1.0",
                    "ce-id": id,
                    "ce-source": "/s",
                    "ce-type": type,
                    "content-type": "application/json",
                    ...(schema === null ? {} : { "ce-dataschema": encodeURIComponent(schema) }),
                  },
                  body: data,
                }
              : {
                  headers: { "content-type": "application/cloudevents+json" },
                  body: `{"specversion":"1.0","id":"${id}","source":"/s","type":"${type}","datacontenttype":"application/json",${schema === null ? "" : `"dataschema":${JSON.stringify(schema)},`}"data":${data}}`,
                };
            const answer = await answerOf(await gateway.request("/events", { method: "POST", ...request }));
            codes.add(
              expectSound(answer, { binary, data: data.slice(0, 200), schema }) ?? String(answer.status),
            );
            expect(memory.events()).toHaveLength(answer.status === 202 ? 1 : 0);
          },
        ),
        fuzzParameters(),
      );
      await gateway.close();
      // Not vacuous: events were both accepted and refused for their data.
      expect(codes).toContain("202");
      expect(codes).toContain("contract-violation");
    },
    FUZZ_TIMEOUT_MS,
  );
});
