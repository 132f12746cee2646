/**
 * Random JSON Schemas from a small grammar (types, bounds, enums, properties
 * and required, additionalProperties and patternProperties, items and tuples,
 * combinators, local $refs including a recursive one), random evolutions of
 * them. Driven by a seeded generator so a failing seed reproduces; instances
 * are made in random-values.ts.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Dialect = "draft-07" | "2020-12";

export interface Random {
  int(bound: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: small, fast, good enough for test data. */
export function random(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (bound) => Math.floor(next() * bound),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
  };
}

export const NUMBERS = [-2, -1, 0, 0.5, 1, 1.5, 2, 3, 10];
export const STRINGS = ["", "a", "ab", "abc", "b", "ba", "x-1", "2020-01-01", "a@b.co"];
export const KEYS = ["a", "b", "c", "x1", "x2"];
const PATTERNS = ["^a", "b$", "^[ab]*$", "^x"];
const FORMATS = ["date", "email"];
export const TYPES = ["null", "boolean", "integer", "number", "string", "array", "object"];
export const SCALARS: readonly Json[] = [null, true, false, ...NUMBERS, ...STRINGS];
const COMPOSITES: readonly Json[] = [
  {},
  { a: 1 },
  { a: "x", b: null },
  { x1: [1] },
  [],
  [1, "a"],
  ["a", "a"],
  [{ a: 1 }],
];

/** Spelled through a constant: a `then` key looks like a promise to the linter. */
const THEN = "then";

interface Grammar {
  readonly r: Random;
  readonly dialect: Dialect;
  /** Names of the root's definitions, for $ref. */
  readonly definitions: readonly string[];
}

function definitionsKeyword(dialect: Dialect): string {
  return dialect === "2020-12" ? "$defs" : "definitions";
}

export function subset<T>(r: Random, items: readonly T[], most: number): T[] {
  return items.filter(() => r.chance(most / items.length));
}

function leaf(g: Grammar): JsonObject {
  const { r } = g;
  switch (r.int(8)) {
    case 0:
      return { type: r.pick(TYPES) };
    case 1:
      return { type: [...new Set([r.pick(TYPES), r.pick(TYPES)])] };
    case 2: {
      const schema: JsonObject = { type: r.pick(["integer", "number"]) };
      for (const keyword of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]) {
        if (r.chance(0.35)) schema[keyword] = r.pick(NUMBERS);
      }
      if (r.chance(0.2)) schema.multipleOf = r.pick([1, 2, 3, 0.5]);
      return schema;
    }
    case 3: {
      const schema: JsonObject = { type: "string" };
      if (r.chance(0.4)) schema.minLength = r.int(4);
      if (r.chance(0.4)) schema.maxLength = r.int(4);
      if (r.chance(0.25)) schema.pattern = r.pick(PATTERNS);
      if (r.chance(0.15)) schema.format = r.pick(FORMATS);
      return schema;
    }
    case 4: {
      const pool = r.chance(0.2) ? [...SCALARS, ...COMPOSITES] : SCALARS;
      const values = pool.filter(() => r.chance(0.2));
      const schema: JsonObject = { enum: values.length > 0 ? values : [r.pick(SCALARS)] };
      if (r.chance(0.3)) schema.type = r.pick(TYPES);
      return schema;
    }
    case 5:
      return { const: r.pick(SCALARS) };
    case 6:
      return { type: "boolean" };
    default:
      return {};
  }
}

function objectSchema(g: Grammar, depth: number): JsonObject {
  const { r } = g;
  const schema: JsonObject = {};
  if (r.chance(0.8)) schema.type = "object";
  const properties: JsonObject = {};
  for (const key of subset(r, KEYS, 2)) properties[key] = schemaOf(g, depth - 1);
  if (Object.keys(properties).length > 0 || r.chance(0.3)) schema.properties = properties;
  const required = subset(r, KEYS, 1.2);
  if (required.length > 0) schema.required = required;
  const additional = r.int(5);
  if (additional === 1) schema.additionalProperties = false;
  if (additional === 2) schema.additionalProperties = true;
  if (additional === 3) schema.additionalProperties = schemaOf(g, depth - 1);
  if (r.chance(0.2)) schema.patternProperties = { [r.pick(PATTERNS)]: schemaOf(g, depth - 1) };
  if (r.chance(0.15)) schema.minProperties = r.int(3);
  if (r.chance(0.15)) schema.maxProperties = r.int(4);
  if (r.chance(0.2)) {
    properties.kind = { const: r.pick(["a", "b", "c"]) };
    schema.properties = properties;
    schema.required = [...new Set([...required, "kind"])];
  }
  if (r.chance(0.1))
    schema.propertyNames = r.pick<Json>([{ maxLength: 1 }, { pattern: "^[a-c]" }, { enum: ["a", "b"] }]);
  if (r.chance(0.1)) {
    schema[g.dialect === "2020-12" ? "dependentRequired" : "dependencies"] = {
      [r.pick(KEYS)]: [r.pick(KEYS)],
    };
  }
  return schema;
}

function arraySchema(g: Grammar, depth: number): JsonObject {
  const { r } = g;
  const schema: JsonObject = {};
  if (r.chance(0.8)) schema.type = "array";
  if (r.chance(0.6)) {
    schema.items = schemaOf(g, depth - 1);
  } else if (r.chance(0.7)) {
    const tuple = [schemaOf(g, depth - 1), schemaOf(g, depth - 1)].slice(0, 1 + r.int(2));
    const rest = r.pick<Json | undefined>([undefined, false, true, leaf(g)]);
    if (g.dialect === "2020-12") {
      schema.prefixItems = tuple;
      if (rest !== undefined) schema.items = rest;
    } else {
      schema.items = tuple;
      if (rest !== undefined) schema.additionalItems = rest;
    }
  }
  if (r.chance(0.25)) schema.minItems = r.int(3);
  if (r.chance(0.25)) schema.maxItems = r.int(4);
  if (r.chance(0.15)) schema.uniqueItems = r.chance(0.8);
  if (r.chance(0.1)) {
    schema.contains = leaf(g);
    if (g.dialect === "2020-12" && r.chance(0.5)) schema.minContains = r.int(3);
  }
  return schema;
}

function combinator(g: Grammar, depth: number): Json {
  const { r } = g;
  const keyword = r.pick(["anyOf", "anyOf", "oneOf", "allOf", "not", "if"]);
  if (keyword === "not") return { not: leaf(g) };
  if (keyword === "if") {
    const schema: JsonObject = { if: leaf(g) };
    if (r.chance(0.8)) schema[THEN] = schemaOf(g, depth - 1);
    if (r.chance(0.6)) schema.else = schemaOf(g, depth - 1);
    return schema;
  }
  const schema: JsonObject = { [keyword]: [schemaOf(g, depth - 1), schemaOf(g, depth - 1)] };
  if (r.chance(0.3)) Object.assign(schema, leaf(g));
  return schema;
}

export function schemaOf(g: Grammar, depth: number): Json {
  const roll = g.r.int(100);
  if (depth <= 0 || roll < 42) return leaf(g);
  if (roll < 64) return objectSchema(g, depth);
  if (roll < 78) return arraySchema(g, depth);
  if (roll < 91) return combinator(g, depth);
  if (g.definitions.length > 0 && roll < 97) {
    const ref: JsonObject = { $ref: `#/${definitionsKeyword(g.dialect)}/${g.r.pick(g.definitions)}` };
    return g.r.chance(0.3) ? { ...leaf(g), ...ref } : ref;
  }
  return g.r.pick<Json>([true, {}, false]);
}

/** A root schema: sometimes with definitions used through $ref, sometimes recursive. */
export function rootSchema(r: Random, dialect: Dialect): JsonObject {
  const uri =
    dialect === "2020-12"
      ? "https://json-schema.org/draft/2020-12/schema"
      : "http://json-schema.org/draft-07/schema#";
  const container = definitionsKeyword(dialect);
  if (r.chance(0.08)) {
    const node = `#/${container}/node`;
    return {
      $schema: uri,
      [container]: {
        node: {
          type: "object",
          properties: { value: leaf({ r, dialect, definitions: [] }), next: { $ref: node } },
          required: r.chance(0.5) ? ["value"] : [],
        },
      },
      $ref: node,
    };
  }
  const definitions = r.chance(0.3) ? ["A", "B"].slice(0, 1 + r.int(2)) : [];
  const base: Grammar = { r, dialect, definitions: [] };
  const g: Grammar = { r, dialect, definitions };
  const body = schemaOf(g, 3);
  const root: JsonObject =
    typeof body === "object" && body !== null && !Array.isArray(body) ? body : { allOf: [body] };
  if (definitions.length > 0) {
    root[container] = Object.fromEntries(definitions.map((name) => [name, schemaOf(base, 2)]));
  }
  return { $schema: uri, ...root };
}

/** Every place in a schema that holds a subschema, as get/set pairs. */
interface Slot {
  get(): Json;
  set(value: Json): void;
}

function slots(schema: Json, into: Slot[], get: () => Json, set: (value: Json) => void): Slot[] {
  into.push({ get, set });
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return into;
  const object = schema;
  for (const keyword of ["additionalProperties", "additionalItems", "items", "not"]) {
    const value = object[keyword];
    if (value !== undefined && !Array.isArray(value)) {
      slots(
        value,
        into,
        () => object[keyword] as Json,
        (v) => {
          object[keyword] = v;
        },
      );
    }
  }
  for (const keyword of ["anyOf", "oneOf", "allOf", "prefixItems", "items"]) {
    const list = object[keyword];
    if (!Array.isArray(list)) continue;
    list.forEach((item, index) => {
      slots(
        item,
        into,
        () => list[index] as Json,
        (v) => {
          list[index] = v;
        },
      );
    });
  }
  for (const keyword of ["properties", "patternProperties", "definitions", "$defs"]) {
    const map = object[keyword];
    if (typeof map !== "object" || map === null || Array.isArray(map)) continue;
    for (const name of Object.keys(map)) {
      slots(
        map[name] as Json,
        into,
        () => map[name] as Json,
        (v) => {
          map[name] = v;
        },
      );
    }
  }
  return into;
}

function bump(value: Json, r: Random): Json {
  return typeof value === "number" ? Math.max(0, value + r.pick([-1, 1, 0.5])) : value;
}

const BOUNDS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength"];
const COUNTS = ["minItems", "maxItems", "minProperties", "maxProperties"];

function mutateOne(schema: Json, g: Grammar): Json {
  const { r } = g;
  if (typeof schema !== "object" || schema === null || Array.isArray(schema) || r.chance(0.12)) {
    return schemaOf(g, 2);
  }
  const object: JsonObject = { ...schema };
  const keys = Object.keys(object).filter(
    (key) => key !== "$schema" && key !== "definitions" && key !== "$defs",
  );
  switch (r.int(10)) {
    case 0:
      if (keys.length > 0) delete object[r.pick(keys)];
      return object;
    case 1:
      return { ...object, ...leaf(g) };
    case 2: {
      const present = [...BOUNDS, ...COUNTS].filter((key) => typeof object[key] === "number");
      if (present.length > 0) {
        const key = r.pick(present);
        object[key] = COUNTS.includes(key)
          ? Math.round(bump(object[key] as Json, r) as number)
          : bump(object[key] as Json, r);
      } else {
        object[r.pick(BOUNDS)] = r.pick(NUMBERS.filter((n) => n >= 0));
      }
      return object;
    }
    case 3: {
      const required = Array.isArray(object.required) ? [...object.required] : [];
      if (required.length > 0 && r.chance(0.5)) required.splice(r.int(required.length), 1);
      else required.push(r.pick(KEYS));
      object.required = [...new Set(required)];
      return object;
    }
    case 4:
      object.additionalProperties = r.pick<Json>([false, true, leaf(g)]);
      if (r.chance(0.3)) delete object.additionalProperties;
      return object;
    case 5: {
      const values = Array.isArray(object.enum) ? [...object.enum] : [r.pick(SCALARS)];
      if (values.length > 1 && r.chance(0.5)) values.splice(r.int(values.length), 1);
      else values.push(r.pick(SCALARS));
      object.enum = values;
      return object;
    }
    case 6: {
      const types =
        typeof object.type === "string" ? [object.type] : Array.isArray(object.type) ? [...object.type] : [];
      if (types.length > 1 && r.chance(0.5)) types.splice(r.int(types.length), 1);
      else types.push(r.pick(TYPES));
      object.type = [...new Set(types)];
      return object;
    }
    case 7:
      return { anyOf: [object, schemaOf(g, 1)] };
    case 8: {
      const properties =
        typeof object.properties === "object" && object.properties !== null
          ? { ...(object.properties as JsonObject) }
          : {};
      properties[r.pick(KEYS)] = schemaOf(g, 1);
      object.properties = properties;
      return object;
    }
    default:
      return schemaOf(g, 2);
  }
}

/** A changed copy of a root schema: one to three random edits anywhere in it. */
export function evolve(root: JsonObject, r: Random, dialect: Dialect): JsonObject {
  const copy = structuredClone(root);
  const container = copy[definitionsKeyword(dialect)];
  const definitions = typeof container === "object" && container !== null ? Object.keys(container) : [];
  const g: Grammar = { r, dialect, definitions: definitions.filter((name) => name !== "node") };
  let current: Json = copy;
  const edits = 1 + r.int(3);
  for (let edit = 0; edit < edits; edit++) {
    const all = slots(
      current,
      [],
      () => current,
      (value) => {
        current = value;
      },
    );
    const slot = r.pick(all);
    slot.set(mutateOne(slot.get(), g));
  }
  const result: Json = current;
  if (typeof result !== "object" || result === null || Array.isArray(result))
    return { $schema: copy.$schema as Json, allOf: [result] };
  if (result !== copy) {
    for (const key of ["$schema", "definitions", "$defs"])
      if (copy[key] !== undefined) result[key] = copy[key] as Json;
  }
  return result;
}
