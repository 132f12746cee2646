/**
 * The keywords of one schema object applied to one concrete value: the table
 * of all of them, and the scalar ones (types, enumerations, numeric and string
 * keywords). Arrays and objects are in validate-containers.ts; combinators and
 * references in validate-value.ts, which passes itself in as `sub`.
 */
import { type Env, patternMatches } from "./env.js";
import { codePointLength, jsonEqual, kindOf, kindsOfType } from "./json-values.js";
import type { SchemaNode } from "./schema-node.js";
import {
  additionalItems,
  contains,
  dependencyCheck,
  items,
  objectCheck,
  prefixItems,
  propertyNames,
  required,
  uniqueItems,
} from "./validate-containers.js";
import { decide, unknown, VALID, type Verdict } from "./verdict.js";

export interface ValueContext {
  readonly env: Env;
  readonly instance: string;
  /** A keyword of the narrower schema known to hold for this value (only ever at the data root). */
  holds(node: SchemaNode, keyword: string): boolean;
  /** Validates a value against a subschema at `segments`; `key` is set when the value is a child of this one. */
  sub(
    value: unknown,
    node: SchemaNode,
    segments: readonly (string | number)[],
    key?: string | number,
  ): Verdict;
}

export type Check = (
  value: unknown,
  node: SchemaNode,
  schema: Readonly<Record<string, unknown>>,
  ctx: ValueContext,
) => Verdict;

/** Formats Ajv (ajv-formats) applies to numbers; every other format applies to strings only. */
const NUMBER_FORMATS = new Set(["int32", "int64", "float", "double"]);

function numeric(test: (value: number, limit: number) => boolean, keyword: string): Check {
  return (value, node, schema, ctx) => {
    const limit = schema[keyword];
    if (typeof value !== "number") return VALID;
    if (typeof limit !== "number") return unknown(node, keyword, ctx.instance);
    return decide(test(value, limit), node, keyword, ctx.instance);
  };
}

function counted(
  kind: "string" | "array" | "object",
  test: (size: number, limit: number) => boolean,
  keyword: string,
): Check {
  return (value, node, schema, ctx) => {
    const limit = schema[keyword];
    if (kindOf(value) !== kind) return VALID;
    if (typeof limit !== "number") return unknown(node, keyword, ctx.instance);
    const size =
      typeof value === "string"
        ? codePointLength(value)
        : Array.isArray(value)
          ? value.length
          : Object.keys(value as object).length;
    return decide(test(size, limit), node, keyword, ctx.instance);
  };
}

/** Ajv's test: value / divisor must parse back to itself as an integer. */
export function isMultipleOf(value: number, divisor: number): boolean {
  if (divisor === 0) return false;
  const ratio = value / divisor;
  return ratio === Number.parseInt(String(ratio), 10);
}

const format: Check = (value, node, schema, ctx) => {
  const name = schema.format;
  const applies =
    typeof name === "string" && NUMBER_FORMATS.has(name)
      ? typeof value === "number"
      : typeof value === "string";
  if (!applies || ctx.holds(node, "format")) return VALID;
  return unknown(node, "format", ctx.instance);
};

export const VALUE_KEYWORDS: ReadonlyMap<string, Check> = new Map<string, Check>([
  [
    "type",
    (value, node, schema, ctx) => {
      const kinds = kindsOfType(schema.type);
      const kind = kindOf(value);
      if (kinds === undefined || kind === undefined) return unknown(node, "type", ctx.instance);
      return decide(kinds.has(kind), node, "type", ctx.instance);
    },
  ],
  [
    "enum",
    (value, node, schema, ctx) =>
      Array.isArray(schema.enum)
        ? decide(
            schema.enum.some((item) => jsonEqual(item, value)),
            node,
            "enum",
            ctx.instance,
          )
        : unknown(node, "enum", ctx.instance),
  ],
  [
    "const",
    (value, node, schema, ctx) => decide(jsonEqual(schema.const, value), node, "const", ctx.instance),
  ],
  ["minimum", numeric((value, limit) => value >= limit, "minimum")],
  ["maximum", numeric((value, limit) => value <= limit, "maximum")],
  ["exclusiveMinimum", numeric((value, limit) => value > limit, "exclusiveMinimum")],
  ["exclusiveMaximum", numeric((value, limit) => value < limit, "exclusiveMaximum")],
  ["multipleOf", numeric(isMultipleOf, "multipleOf")],
  ["minLength", counted("string", (size, limit) => size >= limit, "minLength")],
  ["maxLength", counted("string", (size, limit) => size <= limit, "maxLength")],
  [
    "pattern",
    (value, node, schema, ctx) => {
      if (typeof value !== "string") return VALID;
      if (typeof schema.pattern !== "string") return unknown(node, "pattern", ctx.instance);
      return decide(patternMatches(ctx.env, schema.pattern, value), node, "pattern", ctx.instance);
    },
  ],
  ["format", format],
  ["items", items],
  ["prefixItems", prefixItems],
  ["additionalItems", additionalItems],
  ["minItems", counted("array", (size, limit) => size >= limit, "minItems")],
  ["maxItems", counted("array", (size, limit) => size <= limit, "maxItems")],
  ["uniqueItems", uniqueItems],
  ["contains", contains],
  ["minContains", () => VALID],
  ["maxContains", () => VALID],
  ["properties", objectCheck("properties")],
  ["patternProperties", objectCheck("patternProperties")],
  ["additionalProperties", objectCheck("additionalProperties")],
  ["required", required],
  ["minProperties", counted("object", (size, limit) => size >= limit, "minProperties")],
  ["maxProperties", counted("object", (size, limit) => size <= limit, "maxProperties")],
  ["propertyNames", propertyNames],
  ["dependencies", dependencyCheck("dependencies")],
  ["dependentRequired", dependencyCheck("dependentRequired")],
  ["dependentSchemas", dependencyCheck("dependentSchemas")],
]);
