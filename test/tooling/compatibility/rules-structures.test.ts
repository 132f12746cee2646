/**
 * Rules for objects, arrays, combinators, boolean schemas and unknown keywords, one
 * case per rule in both directions, with the verdict expected under BACKWARD and FORWARD.
 */
import { describe } from "vitest";
import { type RuleCase, runRuleCases } from "./support/expect-verdict.js";

const OK = "compatible";
const D2020 = "https://json-schema.org/draft/2020-12/schema";

const object = (properties: object, extra: object = {}): object => ({ type: "object", properties, ...extra });
/** Spelled through a constant: an object literal with a `then` key looks like a promise to the linter. */
const THEN = "then";

const CASES: readonly RuleCase[] = [
  // required
  {
    name: "a required property added",
    old: object({ id: { type: "string" } }, { required: ["id"] }),
    next: object({ id: { type: "string" } }, { required: ["id", "name"] }),
    backward: { breaking: "required-added" },
    forward: OK,
  },
  {
    name: "a required constraint removed",
    old: object({ id: { type: "string" } }, { required: ["id"] }),
    next: object({ id: { type: "string" } }),
    backward: OK,
    forward: { breaking: "required-removed" },
  },
  // properties and additionalProperties
  {
    name: "an optional property added to a closed object",
    old: object({ id: { type: "string" } }, { additionalProperties: false }),
    next: object({ id: { type: "string" }, note: { type: "string" } }, { additionalProperties: false }),
    backward: OK,
    forward: { breaking: "additional-properties-opened" },
  },
  {
    name: "an optional property of any value added to an open object",
    old: object({ id: { type: "string" } }),
    next: object({ id: { type: "string" }, note: {} }),
    backward: OK,
    forward: OK,
  },
  {
    name: "an optional typed property added to an open object",
    old: object({ id: { type: "string" } }),
    next: object({ id: { type: "string" }, note: { type: "string" } }),
    backward: { breaking: "property-added-to-open-model" },
    forward: OK,
  },
  {
    name: "a property's type changed",
    old: object({ total: { type: "integer" } }),
    next: object({ total: { type: "string" } }),
    backward: { breaking: "type-narrowed" },
    forward: { breaking: "type-widened" },
  },
  {
    name: "additional properties closed",
    old: object({ id: { type: "string" } }),
    next: object({ id: { type: "string" } }, { additionalProperties: false }),
    backward: { breaking: "additional-properties-closed" },
    forward: OK,
  },
  {
    name: "the additionalProperties schema narrowed",
    old: { type: "object", additionalProperties: { type: "number" } },
    next: { type: "object", additionalProperties: { type: "integer" } },
    backward: { breaking: "type-narrowed" },
    forward: OK,
  },
  {
    name: "a patternProperties entry added to a closed object",
    old: { type: "object", patternProperties: { "^x-": { type: "string" } }, additionalProperties: false },
    next: {
      type: "object",
      patternProperties: { "^x-": { type: "string" }, "^y-": { type: "number" } },
      additionalProperties: false,
    },
    backward: OK,
    forward: { breaking: "additional-properties-opened" },
  },
  {
    name: "a patternProperties schema narrowed",
    old: { type: "object", patternProperties: { "^x-": { type: "string" } } },
    next: { type: "object", patternProperties: { "^x-": { type: "string", maxLength: 3 } } },
    backward: { breaking: "max-length-lowered" },
    forward: OK,
  },
  // items
  {
    name: "the item type widened",
    old: { type: "array", items: { type: "string" } },
    next: { type: "array", items: { type: ["string", "number"] } },
    backward: OK,
    forward: { breaking: "type-widened" },
  },
  {
    name: "a position added to a closed draft-07 tuple",
    old: { type: "array", items: [{ type: "string" }, { type: "integer" }], additionalItems: false },
    next: {
      type: "array",
      items: [{ type: "string" }, { type: "integer" }, { type: "boolean" }],
      additionalItems: false,
    },
    backward: OK,
    forward: { breaking: "additional-items-opened" },
  },
  {
    name: "a 2020-12 tuple opened",
    old: { $schema: D2020, type: "array", prefixItems: [{ type: "string" }], items: false },
    next: { $schema: D2020, type: "array", prefixItems: [{ type: "string" }] },
    backward: OK,
    forward: { breaking: "additional-items-opened" },
  },
  {
    name: "a 2020-12 tuple position narrowed",
    old: { $schema: D2020, type: "array", prefixItems: [{ type: "number" }] },
    next: { $schema: D2020, type: "array", prefixItems: [{ type: "integer" }] },
    backward: { breaking: "type-narrowed" },
    forward: OK,
  },
  {
    name: "minItems raised",
    old: { type: "array", minItems: 1 },
    next: { type: "array", minItems: 2 },
    backward: { breaking: "min-items-raised" },
    forward: OK,
  },
  {
    name: "maxItems removed",
    old: { type: "array", maxItems: 3 },
    next: { type: "array" },
    backward: OK,
    forward: { breaking: "max-items-raised" },
  },
  {
    name: "contains kept, arrays never empty",
    old: { type: "array", minItems: 1, maxItems: 5, contains: { type: "string" } },
    next: { type: "array", minItems: 1, maxItems: 6, contains: { type: "string" } },
    backward: OK,
    forward: { breaking: "max-items-raised" },
  },
  {
    name: "contains kept where arrays may be empty (Ajv may accept [] beside a tuple)",
    old: { type: "array", items: [{}], contains: { const: 1 } },
    next: { type: "array", contains: { const: 1 } },
    backward: { undecidable: "contains-changed" },
    forward: { undecidable: "contains-changed" },
  },
  {
    name: "contains added",
    old: { type: "array" },
    next: { type: "array", contains: { type: "string" } },
    backward: { breaking: "contains-changed" },
    forward: OK,
  },
  {
    name: "uniqueItems added",
    old: { type: "array" },
    next: { type: "array", uniqueItems: true },
    backward: { breaking: "unique-items-added" },
    forward: OK,
  },
  // object bounds
  {
    name: "minProperties raised",
    old: { type: "object", minProperties: 1 },
    next: { type: "object", minProperties: 2 },
    backward: { breaking: "min-properties-raised" },
    forward: OK,
  },
  {
    name: "maxProperties lowered",
    old: { type: "object", maxProperties: 5 },
    next: { type: "object", maxProperties: 4 },
    backward: { breaking: "max-properties-lowered" },
    forward: OK,
  },
  {
    name: "a dependentRequired entry added",
    old: { $schema: D2020, type: "object" },
    next: { $schema: D2020, type: "object", dependentRequired: { card: ["billing"] } },
    backward: { breaking: "dependent-required-added" },
    forward: OK,
  },
  // combinators
  {
    name: "an anyOf branch added",
    old: { anyOf: [{ type: "string" }, { type: "integer" }] },
    next: { anyOf: [{ type: "string" }, { type: "integer" }, { type: "null" }] },
    backward: OK,
    forward: { breaking: "type-widened" },
  },
  {
    name: "an anyOf branch removed that others may cover",
    old: {
      anyOf: [
        { type: "string", maxLength: 5 },
        { type: "string", minLength: 3 },
      ],
    },
    next: { anyOf: [{ type: "string", maxLength: 5 }] },
    backward: { undecidable: "any-of-uncovered" },
    forward: OK,
  },
  {
    name: "an anyOf no branch of which meets the old values",
    old: { type: "string", maxLength: 1 },
    next: { anyOf: [{ type: "string", minLength: 2 }, { type: "integer" }] },
    backward: { breaking: "any-of-narrowed" },
    forward: { breaking: "type-widened" },
  },
  {
    name: "an enum value no anyOf branch accepts",
    old: { enum: ["a", "b"] },
    next: { anyOf: [{ const: "a" }, { type: "integer" }] },
    backward: { breaking: "value-rejected" },
    forward: { breaking: "enum-removed" },
  },
  {
    name: "a branch added to a discriminated oneOf",
    old: {
      oneOf: [
        object({ kind: { const: "a" }, x: { type: "string" } }, { required: ["kind", "x"] }),
        object({ kind: { const: "b" } }, { required: ["kind"] }),
      ],
    },
    next: {
      oneOf: [
        object({ kind: { const: "a" }, x: { type: "string" } }, { required: ["kind", "x"] }),
        object({ kind: { const: "b" } }, { required: ["kind"] }),
        object({ kind: { const: "c" } }, { required: ["kind"] }),
      ],
    },
    backward: OK,
    forward: { breaking: "any-of-widened" },
  },
  {
    name: "oneOf branches that may overlap",
    old: { type: "integer" },
    next: { oneOf: [{ type: "integer" }, { type: "number", minimum: 0 }] },
    backward: { undecidable: "one-of-overlap" },
    forward: { breaking: "type-widened" },
  },
  {
    name: "allOf folded into one schema",
    old: { allOf: [object({ a: { type: "string" } }), { required: ["a"] }] },
    next: object({ a: { type: "string" } }, { required: ["a"] }),
    backward: OK,
    forward: OK,
  },
  {
    name: "not unchanged, other keywords changed",
    old: { type: "string", not: { const: "" }, maxLength: 5 },
    next: { type: "string", not: { const: "" }, maxLength: 9 },
    backward: OK,
    forward: { breaking: "max-length-raised" },
  },
  {
    name: "not changed",
    old: { type: "string", not: { pattern: "^a" } },
    next: { type: "string", not: { pattern: "^b" } },
    backward: { undecidable: "not-changed" },
    forward: { undecidable: "not-changed" },
  },
  {
    name: "not added, proven disjoint",
    old: { type: "string" },
    next: { type: "string", not: { type: "null" } },
    backward: OK,
    forward: OK,
  },
  {
    name: "if/then/else changed",
    old: { if: { required: ["a"] }, [THEN]: { required: ["b"] } },
    next: { if: { required: ["a"] }, [THEN]: { required: ["c"] } },
    backward: { undecidable: "conditional-changed" },
    forward: { undecidable: "conditional-changed" },
  },
  // boolean schemas and annotations
  {
    name: "true to false",
    old: object({ a: true }),
    next: object({ a: false }),
    backward: { breaking: "schema-closed" },
    forward: OK,
  },
  {
    name: "true and {} are the same",
    old: object({ a: true }),
    next: object({ a: {} }),
    backward: OK,
    forward: OK,
  },
  {
    name: "annotations changed",
    old: { type: "string", title: "A", description: "x", examples: ["a"], default: "a", $comment: "c" },
    next: { type: "string", title: "B", description: "y", examples: ["b"], default: "b", deprecated: true },
    backward: OK,
    forward: OK,
  },
  {
    name: "an unknown keyword added",
    old: { type: "string" },
    next: { type: "string", "x-kafka-key": true },
    backward: { undecidable: "unknown-keyword" },
    forward: OK,
  },
  {
    name: "an unknown keyword unchanged",
    old: { type: "string", "x-kafka-key": true, maxLength: 3 },
    next: { type: "string", "x-kafka-key": true, maxLength: 4 },
    backward: OK,
    forward: { breaking: "max-length-raised" },
  },
  {
    name: "unevaluatedProperties changed",
    old: { $schema: D2020, type: "object", unevaluatedProperties: false },
    next: { $schema: D2020, type: "object", properties: { a: true }, unevaluatedProperties: false },
    backward: { undecidable: "unevaluated-changed" },
    forward: { undecidable: "unevaluated-changed" },
  },
];

describe("compatibility rules for structures", () => runRuleCases(CASES));
