/**
 * What the narrower side guarantees, read from the plain nodes of one
 * disjunct: its kinds, its values when it lists them, and the tightest bounds.
 * Every fact holds for every instance; a keyword that cannot be read is left
 * out, which only makes the facts weaker.
 */
import { ALL_KINDS, intersectKinds, isRecord, type Kind, kindOf, kindsOfType } from "./json-values.js";
import { isIgnored } from "./keywords.js";
import type { SchemaNode } from "./schema-node.js";

export interface Bound {
  readonly value: number;
  readonly exclusive: boolean;
}

function records(nodes: readonly SchemaNode[]): Readonly<Record<string, unknown>>[] {
  return nodes.flatMap((node) => (isRecord(node.schema) ? [node.schema] : []));
}

function numbers(nodes: readonly SchemaNode[], keyword: string): number[] {
  return records(nodes).flatMap((schema) => (typeof schema[keyword] === "number" ? [schema[keyword]] : []));
}

/** The largest value of a numeric keyword (for lower limits such as `minLength`). */
export function largest(nodes: readonly SchemaNode[], keyword: string): number | undefined {
  const values = numbers(nodes, keyword);
  return values.length === 0 ? undefined : Math.max(...values);
}

/** The smallest value of a numeric keyword (for upper limits such as `maxLength`). */
export function smallest(nodes: readonly SchemaNode[], keyword: string): number | undefined {
  const values = numbers(nodes, keyword);
  return values.length === 0 ? undefined : Math.min(...values);
}

export function stringValues(nodes: readonly SchemaNode[], keyword: string): string[] {
  return records(nodes).flatMap((schema) => (typeof schema[keyword] === "string" ? [schema[keyword]] : []));
}

function tighter(a: Bound | undefined, b: Bound, lower: boolean): Bound {
  if (a === undefined) return b;
  if (a.value === b.value) return a.exclusive ? a : b;
  return a.value > b.value === lower ? a : b;
}

/** The tightest lower (or upper) bound on numbers; for integers, moved to the first integer inside. */
export function numberBound(
  nodes: readonly SchemaNode[],
  lower: boolean,
  integer: boolean,
): Bound | undefined {
  let bound: Bound | undefined;
  for (const value of numbers(nodes, lower ? "minimum" : "maximum"))
    bound = tighter(bound, { value, exclusive: false }, lower);
  for (const value of numbers(nodes, lower ? "exclusiveMinimum" : "exclusiveMaximum")) {
    bound = tighter(bound, { value, exclusive: true }, lower);
  }
  if (bound === undefined || !integer) return bound;
  const { value, exclusive } = bound;
  if (lower) return { value: exclusive ? Math.floor(value) + 1 : Math.ceil(value), exclusive: false };
  return { value: exclusive ? Math.ceil(value) - 1 : Math.floor(value), exclusive: false };
}

/** Whether the narrower bound `bound` keeps values within the wider `limit` (both lower, or both upper). */
export function boundImplies(bound: Bound | undefined, limit: Bound, lower: boolean): boolean {
  if (bound === undefined) return false;
  if (bound.value !== limit.value) return bound.value > limit.value === lower;
  return bound.exclusive || !limit.exclusive;
}

/** Whether no number of the kind fits between the bounds. */
export function emptyRange(lower: Bound | undefined, upper: Bound | undefined): boolean {
  if (lower === undefined || upper === undefined) return false;
  return lower.value > upper.value || (lower.value === upper.value && (lower.exclusive || upper.exclusive));
}

/** The kinds of value the nodes can hold together. */
export function narrowerKinds(nodes: readonly SchemaNode[]): Set<Kind> {
  let kinds = new Set(ALL_KINDS);
  for (const node of nodes) {
    const schema = node.schema;
    if (schema === false) return new Set();
    if (!isRecord(schema)) continue;
    const typed = kindsOfType(schema.type);
    if (typed !== undefined) kinds = intersectKinds(kinds, typed);
    const values = Array.isArray(schema.enum)
      ? schema.enum
      : Object.hasOwn(schema, "const")
        ? [schema.const]
        : undefined;
    if (values !== undefined)
      kinds = intersectKinds(kinds, new Set(values.flatMap((value) => kindOf(value) ?? [])));
    if (schema.multipleOf === 1) kinds.delete("fraction");
    const negated = schema.not;
    if (
      isRecord(negated) &&
      Object.keys(negated)
        .filter((keyword) => !isIgnored(keyword))
        .join() === "type"
    ) {
      for (const kind of kindsOfType(negated.type) ?? []) kinds.delete(kind);
    }
  }
  return kinds;
}

/** The values the nodes allow, when one of them lists them (`const` or `enum`). */
export function listedValues(nodes: readonly SchemaNode[]): readonly unknown[] | undefined {
  for (const schema of records(nodes)) {
    if (Object.hasOwn(schema, "const")) return [schema.const];
    if (Array.isArray(schema.enum)) return schema.enum;
  }
  return undefined;
}

export function requiredNames(nodes: readonly SchemaNode[]): Set<string> {
  const names = new Set<string>();
  for (const schema of records(nodes)) {
    if (Array.isArray(schema.required)) {
      for (const name of schema.required) if (typeof name === "string") names.add(name);
    }
  }
  return names;
}

/** The property names an instance may have, when some node closes the object; else undefined. */
export function closedNames(nodes: readonly SchemaNode[]): Set<string> | undefined {
  let names: Set<string> | undefined;
  for (const schema of records(nodes)) {
    const patterns = isRecord(schema.patternProperties) ? Object.keys(schema.patternProperties) : [];
    if (schema.additionalProperties !== false || patterns.length > 0) continue;
    const properties = isRecord(schema.properties) ? schema.properties : {};
    const allowed = Object.keys(properties).filter((name) => properties[name] !== false);
    names = new Set(names === undefined ? allowed : allowed.filter((name) => names?.has(name)));
  }
  return names;
}

/** The most items an instance may have (Infinity when unbounded). */
export function mostItems(nodes: readonly SchemaNode[]): number {
  let most = smallest(nodes, "maxItems") ?? Number.POSITIVE_INFINITY;
  for (const node of nodes) {
    const schema = node.schema;
    if (!isRecord(schema)) continue;
    if (node.doc.dialect.arrays === "2020-12") {
      const tuple = Array.isArray(schema.prefixItems) ? schema.prefixItems.length : 0;
      if (schema.items === false) most = Math.min(most, tuple);
    } else if (schema.items === false) {
      most = 0;
    } else if (Array.isArray(schema.items) && schema.additionalItems === false) {
      most = Math.min(most, schema.items.length);
    }
  }
  return most;
}

/** The fewest properties an instance has: `minProperties` or the number of required names. */
export function fewestProperties(nodes: readonly SchemaNode[]): number {
  return Math.max(largest(nodes, "minProperties") ?? 0, requiredNames(nodes).size);
}

/** The most properties an instance may have (Infinity when unbounded). */
export function mostProperties(nodes: readonly SchemaNode[]): number {
  const limit = smallest(nodes, "maxProperties") ?? Number.POSITIVE_INFINITY;
  return Math.min(limit, closedNames(nodes)?.size ?? Number.POSITIVE_INFINITY);
}
