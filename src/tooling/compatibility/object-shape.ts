/**
 * How an object schema assigns schemas to property names: `properties` by
 * name, `patternProperties` by pattern, and `additionalProperties` for names
 * matched by neither.
 */
import { type Env, patternMatches } from "./env.js";
import { isRecord } from "./json-values.js";
import { childNode, type SchemaNode } from "./schema-node.js";

export interface ObjectShape {
  readonly node: SchemaNode;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly patterns: readonly string[];
  readonly additional: SchemaNode | undefined;
}

export function objectShape(node: SchemaNode): ObjectShape {
  const schema = isRecord(node.schema) ? node.schema : {};
  return {
    node,
    properties: isRecord(schema.properties) ? schema.properties : {},
    patterns: isRecord(schema.patternProperties) ? Object.keys(schema.patternProperties) : [],
    additional: childNode(node, ["additionalProperties"]),
  };
}

/** The schemas a shape applies to the property `name`; undefined when a pattern cannot be evaluated. */
export function schemasForName(shape: ObjectShape, name: string, env: Env): SchemaNode[] | undefined {
  const found: SchemaNode[] = [];
  const named = Object.hasOwn(shape.properties, name);
  const own = named ? childNode(shape.node, ["properties", name]) : undefined;
  if (own !== undefined) found.push(own);
  for (const pattern of shape.patterns) {
    const matches = patternMatches(env, pattern, name);
    if (matches === undefined) return undefined;
    const matched = matches ? childNode(shape.node, ["patternProperties", pattern]) : undefined;
    if (matched !== undefined) found.push(matched);
  }
  if (found.length === 0 && !named && shape.additional !== undefined) found.push(shape.additional);
  return found;
}

/** The schemas a shape applies to an unlisted name that matches exactly the patterns in `profile`. */
export function schemasForProfile(shape: ObjectShape, profile: ReadonlySet<string>): SchemaNode[] {
  const matched = shape.patterns
    .filter((pattern) => profile.has(pattern))
    .flatMap((pattern) => childNode(shape.node, ["patternProperties", pattern]) ?? []);
  if (matched.length > 0) return matched;
  return shape.additional === undefined ? [] : [shape.additional];
}

/**
 * The text every match of a pattern starts with, when the pattern is anchored
 * with `^` and has no alternation: "^x-" gives "x-", "^ab*" gives "a".
 */
function literalPrefix(pattern: string): string | undefined {
  if (!pattern.startsWith("^") || pattern.includes("|")) return undefined;
  const match = /^\^([^\\.[\](){}*+?^$|]*)/.exec(pattern);
  const literal = match?.[1] ?? "";
  const next = pattern.charAt(1 + literal.length);
  return next === "*" || next === "?" || next === "{" ? literal.slice(0, -1) : literal;
}

/** Whether no name can match both patterns (their literal prefixes disagree); false when unsure. */
export function patternsExclusive(a: string, b: string): boolean {
  const left = literalPrefix(a);
  const right = literalPrefix(b);
  if (left === undefined || right === undefined) return false;
  return !left.startsWith(right) && !right.startsWith(left);
}
