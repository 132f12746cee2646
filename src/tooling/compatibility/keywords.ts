/**
 * What each JSON Schema keyword is to the checker: an annotation (never
 * matters), structure (identifiers and definitions, never an assertion), or a
 * keyword whose value holds subschemas, which is where documents are walked.
 */
import { isRecord } from "./json-values.js";

/** Keywords that never change which instances are valid. */
export const ANNOTATIONS: ReadonlySet<string> = new Set([
  "title",
  "description",
  "examples",
  "default",
  "$comment",
  "deprecated",
  "readOnly",
  "writeOnly",
  "contentMediaType",
  "contentEncoding",
  "contentSchema",
]);

/** Identifiers and containers of definitions: not assertions themselves. */
export const STRUCTURE: ReadonlySet<string> = new Set([
  "$id",
  "$schema",
  "$anchor",
  "$dynamicAnchor",
  "$recursiveAnchor",
  "$defs",
  "definitions",
  "$vocabulary",
]);

export function isIgnored(keyword: string): boolean {
  return ANNOTATIONS.has(keyword) || STRUCTURE.has(keyword);
}

/** Keywords whose value is one subschema (`items` also takes an array in draft-07). */
const SINGLE: ReadonlySet<string> = new Set([
  "additionalProperties",
  "additionalItems",
  "items",
  "contains",
  "propertyNames",
  "not",
  "if",
  "then",
  "else",
  "unevaluatedProperties",
  "unevaluatedItems",
]);
/** Keywords whose value is an array of subschemas. */
const LISTS: ReadonlySet<string> = new Set(["allOf", "anyOf", "oneOf", "prefixItems", "items"]);
/** Keywords whose value maps names to subschemas (`dependencies` values may also be arrays). */
const MAPS: ReadonlySet<string> = new Set([
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "dependentSchemas",
  "dependencies",
]);

function isSchemaValue(value: unknown): boolean {
  return typeof value === "boolean" || isRecord(value);
}

/** Every direct subschema of a schema object, with the pointer segments that lead to it. */
export function subschemasOf(schema: unknown): [segments: readonly string[], child: unknown][] {
  const found: [readonly string[], unknown][] = [];
  if (!isRecord(schema)) return found;
  for (const [keyword, value] of Object.entries(schema)) {
    if (SINGLE.has(keyword) && isSchemaValue(value)) found.push([[keyword], value]);
    if (LISTS.has(keyword) && Array.isArray(value)) {
      value.forEach((item, index) => {
        if (isSchemaValue(item)) found.push([[keyword, String(index)], item]);
      });
    }
    if (MAPS.has(keyword) && isRecord(value)) {
      for (const [name, item] of Object.entries(value)) {
        if (isSchemaValue(item)) found.push([[keyword, name], item]);
      }
    }
  }
  return found;
}

/**
 * Where a pointer walk stands after one more segment: at a schema, inside a
 * keyword's value (a list or map of schemas), or in plain data.
 */
export type Position = "schema" | "list" | "map" | "data";

export function positionAfter(position: Position, segment: string, value: unknown): Position {
  if (position === "list" || position === "map") return isSchemaValue(value) ? "schema" : "data";
  if (position !== "schema") return "data";
  if (MAPS.has(segment) && isRecord(value)) return "map";
  if (LISTS.has(segment) && Array.isArray(value)) return "list";
  if (SINGLE.has(segment) && isSchemaValue(value)) return "schema";
  return "data";
}

/** Keywords whose meaning depends on other keywords around them: only a whole identical schema proves them. */
export const NON_LOCAL: ReadonlySet<string> = new Set([
  "unevaluatedProperties",
  "unevaluatedItems",
  "$dynamicRef",
  "$recursiveRef",
]);
