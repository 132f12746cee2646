/**
 * The checker never throws on odd input, and it proves every schema
 * compatible with itself and with a copy that differs only in annotations.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkCompatibility } from "../../../src/tooling/compatibility/index.js";
import { type Dialect, type Json, random, rootSchema } from "./support/random-schemas.js";

const GARBAGE: readonly Json[] = [null, 5, -1, "x", [], [1, "a"], {}, { a: 1 }, true, false, 0.5];
const KEYWORDS = [
  "type",
  "enum",
  "required",
  "properties",
  "patternProperties",
  "additionalProperties",
  "items",
  "prefixItems",
  "additionalItems",
  "minimum",
  "exclusiveMinimum",
  "multipleOf",
  "pattern",
  "format",
  "anyOf",
  "oneOf",
  "allOf",
  "not",
  "if",
  "$ref",
  "dependencies",
  "dependentRequired",
  "propertyNames",
  "contains",
  "minContains",
];

/** Copies a schema, with garbage written over some keywords anywhere in it. */
function spoil(value: Json, seed: number, depth = 0): Json {
  const r = random(seed);
  if (typeof value !== "object" || value === null || depth > 6) return value;
  if (Array.isArray(value)) return value.map((item, index) => spoil(item, seed + index + 1, depth + 1));
  const copy: Record<string, Json> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = spoil(item, seed * 31 + key.length, depth + 1);
  if (r.chance(0.3)) copy[r.pick(KEYWORDS)] = r.pick(GARBAGE);
  return copy;
}

const MAPS = new Set(["properties", "patternProperties", "definitions", "$defs", "dependentSchemas"]);
const SCHEMAS = new Set([
  "additionalProperties",
  "additionalItems",
  "items",
  "not",
  "if",
  "then",
  "else",
  "contains",
]);
const LISTS = new Set(["anyOf", "oneOf", "allOf", "prefixItems", "items"]);

/** Copies a schema with a title and description changed or added on every subschema. */
function reannotate(schema: Json): Json {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema;
  const copy: Record<string, Json> = { ...schema, title: "changed", description: "changed too" };
  for (const [key, value] of Object.entries(schema)) {
    if (MAPS.has(key) && typeof value === "object" && value !== null && !Array.isArray(value)) {
      copy[key] = Object.fromEntries(Object.entries(value).map(([name, item]) => [name, reannotate(item)]));
    } else if (LISTS.has(key) && Array.isArray(value)) {
      copy[key] = value.map(reannotate);
    } else if (SCHEMAS.has(key)) {
      copy[key] = reannotate(value);
    }
  }
  return copy;
}

describe("compatibility checker robustness", () => {
  it("never throws on malformed schemas", () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom<Dialect>("draft-07", "2020-12"), (seed, dialect) => {
        const r = random(seed);
        const old = spoil(rootSchema(r, dialect), seed) as object;
        const next = spoil(rootSchema(r, dialect), seed + 1) as object;
        for (const mode of ["FULL", "BACKWARD"] as const) {
          const result = checkCompatibility([old], next, mode);
          expect(typeof result.compatible).toBe("boolean");
        }
      }),
      { numRuns: 500, seed: 11 },
    );
  });

  it("proves every schema compatible with itself and with a copy whose annotations changed", () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom<Dialect>("draft-07", "2020-12"), (seed, dialect) => {
        const schema = rootSchema(random(seed), dialect);
        expect(checkCompatibility([schema], structuredClone(schema), "FULL_TRANSITIVE").compatible).toBe(
          true,
        );
        const annotated = reannotate(schema) as object;
        expect(checkCompatibility([schema], annotated, "FULL")).toMatchObject({ compatible: true });
      }),
      { numRuns: 500, seed: 13 },
    );
  });
});
