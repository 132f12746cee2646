/**
 * Array and object keywords applied to one concrete value: item schemas,
 * `uniqueItems`, `contains`, property schemas, `required`, `propertyNames`
 * and dependencies.
 */
import { patternMatches } from "./env.js";
import { isRecord, jsonEqual } from "./json-values.js";
import { laterKeywordsApply, type SchemaNode } from "./schema-node.js";
import type { Check, ValueContext } from "./validate-keywords.js";
import { allOfVerdicts, decide, invalid, unknown, VALID, type Verdict } from "./verdict.js";

function* elementVerdicts(
  value: readonly unknown[],
  node: SchemaNode,
  ctx: ValueContext,
  keyword: string,
  from: number,
  tuple: boolean,
): Generator<Verdict> {
  for (let index = from; index < value.length; index++) {
    if (tuple && isRecord(node.schema) && !(index < (node.schema[keyword] as unknown[]).length)) return;
    yield ctx.sub(value[index], node, tuple ? [keyword, index] : [keyword], index);
  }
}

function tupleLength(schema: Readonly<Record<string, unknown>>, keyword: string): number {
  const tuple = schema[keyword];
  return Array.isArray(tuple) ? tuple.length : 0;
}

export const items: Check = (value, node, schema, ctx) => {
  if (!Array.isArray(value)) return VALID;
  const list = Array.isArray(schema.items);
  if (node.doc.dialect.arrays === "2020-12") {
    if (list) return unknown(node, "items", ctx.instance);
    return allOfVerdicts(
      elementVerdicts(value, node, ctx, "items", tupleLength(schema, "prefixItems"), false),
    );
  }
  return allOfVerdicts(elementVerdicts(value, node, ctx, "items", 0, list));
};

export const prefixItems: Check = (value, node, _schema, ctx) => {
  if (node.doc.dialect.arrays !== "2020-12")
    return ctx.holds(node, "prefixItems") ? VALID : unknown(node, "prefixItems", ctx.instance);
  return Array.isArray(value)
    ? allOfVerdicts(elementVerdicts(value, node, ctx, "prefixItems", 0, true))
    : VALID;
};

export const additionalItems: Check = (value, node, schema, ctx) => {
  if (node.doc.dialect.arrays === "2020-12") {
    return ctx.holds(node, "additionalItems") ? VALID : unknown(node, "additionalItems", ctx.instance);
  }
  if (!Array.isArray(value) || !Array.isArray(schema.items)) return VALID;
  return allOfVerdicts(elementVerdicts(value, node, ctx, "additionalItems", schema.items.length, false));
};

export const uniqueItems: Check = (value, node, schema, ctx) => {
  if (!Array.isArray(value) || schema.uniqueItems !== true) return VALID;
  const unique = value.every((item, index) => value.findIndex((other) => jsonEqual(item, other)) === index);
  return decide(unique, node, "uniqueItems", ctx.instance);
};

export const contains: Check = (value, node, schema, ctx) => {
  if (!Array.isArray(value)) return VALID;
  const later = laterKeywordsApply(node.doc.dialect);
  const bounded = schema.minContains !== undefined || schema.maxContains !== undefined;
  if (bounded && !later) return unknown(node, "contains", ctx.instance);
  const min = typeof schema.minContains === "number" ? schema.minContains : 1;
  const max = typeof schema.maxContains === "number" ? schema.maxContains : Number.POSITIVE_INFINITY;
  let matched = 0;
  let open = 0;
  value.forEach((item, index) => {
    const status = ctx.sub(item, node, ["contains"], index).status;
    if (status === "valid") matched++;
    if (status === "unknown") open++;
  });
  // Ajv (8.x) may accept an empty array here, depending on the keywords beside `contains`.
  if (value.length === 0 && min > 0) return unknown(node, "contains", ctx.instance);
  if (matched >= min && matched + open <= max) return VALID;
  if (matched + open < min || matched > max) return invalid(node, "contains", ctx.instance);
  return unknown(node, "contains", ctx.instance);
};

function* propertyVerdicts(
  value: Readonly<Record<string, unknown>>,
  node: SchemaNode,
  schema: Readonly<Record<string, unknown>>,
  ctx: ValueContext,
  keyword: "properties" | "patternProperties" | "additionalProperties",
): Generator<Verdict> {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const patterns = isRecord(schema.patternProperties) ? Object.keys(schema.patternProperties) : [];
  for (const [name, child] of Object.entries(value)) {
    if (keyword === "properties" && Object.hasOwn(properties, name)) {
      yield ctx.sub(child, node, ["properties", name], name);
      continue;
    }
    const matches = patterns.map((pattern) => patternMatches(ctx.env, pattern, name));
    if (keyword === "patternProperties") {
      for (const [index, pattern] of patterns.entries()) {
        if (matches[index] === undefined) yield unknown(node, "patternProperties", ctx.instance);
        else if (matches[index]) yield ctx.sub(child, node, ["patternProperties", pattern], name);
      }
    } else if (keyword === "additionalProperties" && !Object.hasOwn(properties, name)) {
      if (matches.includes(undefined)) yield unknown(node, "additionalProperties", ctx.instance);
      else if (!matches.includes(true)) yield ctx.sub(child, node, ["additionalProperties"], name);
    }
  }
}

export function objectCheck(keyword: "properties" | "patternProperties" | "additionalProperties"): Check {
  return (value, node, schema, ctx) =>
    isRecord(value) ? allOfVerdicts(propertyVerdicts(value, node, schema, ctx, keyword)) : VALID;
}

function requiredNames(list: unknown): string[] | undefined {
  return Array.isArray(list) && list.every((name) => typeof name === "string") ? list : undefined;
}

export const required: Check = (value, node, schema, ctx) => {
  if (!isRecord(value)) return VALID;
  const names = requiredNames(schema.required);
  if (names === undefined) return unknown(node, "required", ctx.instance);
  return decide(
    names.every((name) => Object.hasOwn(value, name)),
    node,
    "required",
    ctx.instance,
  );
};

export function dependencyCheck(keyword: "dependencies" | "dependentRequired" | "dependentSchemas"): Check {
  return (value, node, schema, ctx) => {
    const map = schema[keyword];
    if (!isRecord(value)) return VALID;
    const applies = laterKeywordsApply(node.doc.dialect) === (keyword !== "dependencies");
    if (!applies && ctx.holds(node, keyword)) return VALID;
    if (!isRecord(map) || !applies) return unknown(node, keyword, ctx.instance);
    return allOfVerdicts(
      (function* () {
        for (const [name, dependency] of Object.entries(map)) {
          if (!Object.hasOwn(value, name)) continue;
          const names = requiredNames(dependency);
          if (names !== undefined && keyword !== "dependentSchemas") {
            yield decide(
              names.every((other) => Object.hasOwn(value, other)),
              node,
              keyword,
              ctx.instance,
            );
          } else if (keyword !== "dependentRequired") {
            yield ctx.sub(value, node, [keyword, name]);
          } else {
            yield unknown(node, keyword, ctx.instance);
          }
        }
      })(),
    );
  };
}

export const propertyNames: Check = (value, node, _schema, ctx) =>
  isRecord(value)
    ? allOfVerdicts(Object.keys(value).map((name) => ctx.sub(name, node, ["propertyNames"], name)))
    : VALID;
