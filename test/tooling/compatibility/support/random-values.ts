/**
 * Instances for the property tests: random JSON biased towards the schema
 * grammar's constants, JSON generated from a schema so that valid instances
 * are common, and small changes to those.
 */
import {
  type Json,
  type JsonObject,
  KEYS,
  NUMBERS,
  type Random,
  SCALARS,
  STRINGS,
  subset,
  TYPES,
} from "./random-schemas.js";

/** Any JSON value, biased towards the grammar's constants. */
export function anyValue(r: Random, depth: number): Json {
  const roll = r.int(10);
  if (depth <= 0 || roll < 5) return r.pick(SCALARS);
  if (roll < 7) return Array.from({ length: r.int(4) }, () => anyValue(r, depth - 1));
  const object: JsonObject = {};
  for (const key of subset(r, KEYS, 2)) object[key] = anyValue(r, depth - 1);
  return object;
}

function resolveLocal(root: JsonObject, ref: string): Json | undefined {
  let value: Json | undefined = root;
  for (const segment of ref.replace(/^#\/?/, "").split("/").filter(Boolean)) {
    value = typeof value === "object" && value !== null && !Array.isArray(value) ? value[segment] : undefined;
  }
  return value;
}

/** A value meant to satisfy the schema (often does; callers check with Ajv). */
export function valueFrom(schema: Json, root: JsonObject, r: Random, depth: number): Json {
  if (depth <= 0 || typeof schema !== "object" || schema === null || Array.isArray(schema))
    return anyValue(r, 1);
  if (typeof schema.$ref === "string" && r.chance(0.8)) {
    const target = resolveLocal(root, schema.$ref);
    if (target !== undefined) return valueFrom(target, root, r, depth - 1);
  }
  if (schema.const !== undefined) return structuredClone(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return structuredClone(r.pick(schema.enum));
  for (const keyword of ["anyOf", "oneOf", "allOf"]) {
    const list = schema[keyword];
    if (Array.isArray(list) && list.length > 0 && r.chance(0.7)) {
      const { [keyword]: _, ...rest } = schema;
      const branch = r.pick(list);
      const merged =
        typeof branch === "object" && branch !== null && !Array.isArray(branch)
          ? { ...rest, ...branch }
          : rest;
      return valueFrom(merged, root, r, depth - 1);
    }
  }
  const types =
    typeof schema.type === "string" ? [schema.type] : Array.isArray(schema.type) ? schema.type : TYPES;
  const type = r.pick(types as string[]);
  const bounds = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"].flatMap((key) =>
    typeof schema[key] === "number" ? [schema[key] as number] : [],
  );
  switch (type) {
    case "null":
      return null;
    case "boolean":
      return r.chance(0.5);
    case "integer":
    case "number": {
      const candidates = [...NUMBERS, ...bounds, ...bounds.map((b) => b + 1), ...bounds.map((b) => b - 1)];
      const numbers = type === "integer" ? candidates.filter(Number.isInteger) : candidates;
      return r.pick(numbers.length > 0 ? numbers : [0]);
    }
    case "string": {
      const least = typeof schema.minLength === "number" ? schema.minLength : 0;
      return r.pick([...STRINGS, "a".repeat(least), "ab".repeat(least), "x".repeat(least)]);
    }
    case "array": {
      const least = typeof schema.minItems === "number" ? schema.minItems : 0;
      const length = least + r.int(3);
      const tuple = Array.isArray(schema.prefixItems)
        ? schema.prefixItems
        : Array.isArray(schema.items)
          ? schema.items
          : [];
      const rest = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
      return Array.from({ length }, (_, index) =>
        valueFrom((tuple[index] ?? rest ?? true) as Json, root, r, depth - 1),
      );
    }
    default: {
      const object: JsonObject = {};
      const properties = (
        typeof schema.properties === "object" && schema.properties !== null ? schema.properties : {}
      ) as JsonObject;
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      for (const key of new Set([...required, ...subset(r, Object.keys(properties), 1.5)])) {
        object[key] = valueFrom(properties[key] ?? schema.additionalProperties ?? true, root, r, depth - 1);
      }
      if (r.chance(0.3))
        object[r.pick(KEYS)] = valueFrom(schema.additionalProperties ?? true, root, r, depth - 1);
      return object;
    }
  }
}

/** A small change to a value: a property dropped or added, an item added, a scalar swapped. */
export function nudge(value: Json, r: Random): Json {
  if (Array.isArray(value)) return r.chance(0.5) ? [...value, anyValue(r, 1)] : value.slice(1);
  if (typeof value === "object" && value !== null) {
    const copy = { ...value };
    const keys = Object.keys(copy);
    if (keys.length > 0 && r.chance(0.5)) {
      const key = r.pick(keys);
      if (r.chance(0.5)) delete copy[key];
      else copy[key] = nudge(copy[key] as Json, r);
    } else {
      copy[r.pick(KEYS)] = anyValue(r, 1);
    }
    return copy;
  }
  return r.pick(SCALARS);
}
