/**
 * Rules for scalar keywords, one case per rule in both directions: an old and a new
 * schema, and the verdict expected under BACKWARD and under FORWARD, with the rule id.
 */
import { describe } from "vitest";
import { type RuleCase, runRuleCases } from "./support/expect-verdict.js";

const OK = "compatible";

const CASES: readonly RuleCase[] = [
  // type
  {
    name: "integer widened to number",
    old: { type: "integer" },
    next: { type: "number" },
    backward: OK,
    forward: { breaking: "type-widened" },
  },
  {
    name: "number narrowed to integer",
    old: { type: "number" },
    next: { type: "integer" },
    backward: { breaking: "type-narrowed" },
    forward: OK,
  },
  {
    name: "a type added to a list (string to string or null)",
    old: { type: "string" },
    next: { type: ["string", "null"] },
    backward: OK,
    forward: { breaking: "type-widened" },
  },
  {
    name: "number with multipleOf 1 is integer",
    old: { type: "number", multipleOf: 1 },
    next: { type: "integer" },
    backward: OK,
    forward: OK,
  },
  // enum and const
  {
    name: "an enum value added",
    old: { enum: ["a", "b"] },
    next: { enum: ["a", "b", "c"] },
    backward: OK,
    forward: { breaking: "enum-value-added" },
  },
  {
    name: "an enum value removed",
    old: { type: "string", enum: ["a", "b", "c"] },
    next: { type: "string", enum: ["a", "b"] },
    backward: { breaking: "enum-value-removed" },
    forward: OK,
  },
  {
    name: "an enum added to a string",
    old: { type: "string" },
    next: { type: "string", enum: ["a"] },
    backward: { breaking: "enum-added" },
    forward: OK,
  },
  {
    name: "a const changed",
    old: { const: "v1" },
    next: { const: "v2" },
    backward: { breaking: "const-changed" },
    forward: { breaking: "const-changed" },
  },
  {
    name: "a const added",
    old: { type: "string" },
    next: { type: "string", const: "v1" },
    backward: { breaking: "const-added" },
    forward: OK,
  },
  {
    name: "an enum value checked against the other keywords",
    old: { enum: [1, 5] },
    next: { type: "integer", minimum: 2 },
    backward: { breaking: "minimum-raised" },
    forward: { breaking: "enum-removed" },
  },
  // numbers
  {
    name: "minimum raised",
    old: { type: "number", minimum: 0 },
    next: { type: "number", minimum: 5 },
    backward: { breaking: "minimum-raised" },
    forward: OK,
  },
  {
    name: "minimum removed",
    old: { type: "number", minimum: 0 },
    next: { type: "number" },
    backward: OK,
    forward: { breaking: "minimum-lowered" },
  },
  {
    name: "maximum lowered",
    old: { type: "number", maximum: 10 },
    next: { type: "number", maximum: 9.5 },
    backward: { breaking: "maximum-lowered" },
    forward: OK,
  },
  {
    name: "exclusiveMaximum relaxed to an inclusive maximum",
    old: { type: "number", exclusiveMaximum: 10 },
    next: { type: "number", maximum: 10 },
    backward: OK,
    forward: { breaking: "maximum-raised" },
  },
  {
    name: "exclusiveMinimum 0 and minimum 1 on integers",
    old: { type: "integer", exclusiveMinimum: 0 },
    next: { type: "integer", minimum: 1 },
    backward: OK,
    forward: OK,
  },
  {
    name: "multipleOf 2 to 4 on integers",
    old: { type: "integer", multipleOf: 2 },
    next: { type: "integer", multipleOf: 4 },
    backward: { breaking: "multiple-of-changed" },
    forward: OK,
  },
  {
    name: "multipleOf changed on numbers",
    old: { type: "number", multipleOf: 0.5 },
    next: { type: "number", multipleOf: 0.25 },
    backward: { undecidable: "multiple-of-changed" },
    forward: { undecidable: "multiple-of-changed" },
  },
  // strings
  {
    name: "minLength raised",
    old: { type: "string", minLength: 1 },
    next: { type: "string", minLength: 3 },
    backward: { breaking: "min-length-raised" },
    forward: OK,
  },
  {
    name: "maxLength lowered",
    old: { type: "string", maxLength: 10 },
    next: { type: "string", maxLength: 5 },
    backward: { breaking: "max-length-lowered" },
    forward: OK,
  },
  {
    name: "a pattern added",
    old: { type: "string" },
    next: { type: "string", pattern: "^[a-z]+$" },
    backward: { breaking: "pattern-added" },
    forward: OK,
  },
  {
    name: "a pattern changed",
    old: { type: "string", pattern: "^[a-z]+$" },
    next: { type: "string", pattern: "^[a-z0-9]+$" },
    backward: { undecidable: "pattern-changed" },
    forward: { undecidable: "pattern-changed" },
  },
  {
    name: "a format added",
    old: { type: "string" },
    next: { type: "string", format: "date-time" },
    backward: { breaking: "format-added" },
    forward: OK,
  },
  {
    name: "a format changed",
    old: { type: "string", format: "uri" },
    next: { type: "string", format: "uri-reference" },
    backward: { undecidable: "format-changed" },
    forward: { undecidable: "format-changed" },
  },
];

describe("compatibility rules for values", () => runRuleCases(CASES));
