/**
 * Whether two schema nodes are the same schema: equal keyword by keyword,
 * annotations ignored, references compared by what they point to (so two
 * versions with their own `#/definitions` compare equal when the definitions
 * do). Recursive schemas compare as equal when no difference is ever found.
 */
import { type Env, spend } from "./env.js";
import { nodeKey } from "./expand.js";
import { isRecord, jsonEqual } from "./json-values.js";
import { isIgnored, subschemasOf } from "./keywords.js";
import { resolveRef } from "./resolve-ref.js";
import { childNode, type SchemaNode } from "./schema-node.js";

const PLACEHOLDER = "\u0000subschema";

/** A keyword's value with each subschema replaced by a placeholder, and the subschema paths. */
function skeleton(keyword: string, value: unknown): { shape: unknown; paths: string[][] } {
  const subs = subschemasOf({ [keyword]: value });
  let shape: unknown = value;
  const paths: string[][] = [];
  for (const [segments] of subs) {
    paths.push([...segments]);
    const index = segments[1];
    if (index === undefined) {
      shape = PLACEHOLDER;
    } else {
      if (shape === value) shape = Array.isArray(value) ? [...value] : { ...(value as object) };
      (shape as Record<string, unknown>)[index] = PLACEHOLDER;
    }
  }
  return { shape, paths };
}

function sameKeyword(a: SchemaNode, b: SchemaNode, keyword: string, env: Env, assumed: Set<string>): boolean {
  if (!isRecord(a.schema) || !isRecord(b.schema)) return false;
  const left = a.schema[keyword];
  const right = b.schema[keyword];
  if (keyword === "$ref" || keyword === "$dynamicRef" || keyword === "$recursiveRef") {
    if (typeof left !== "string" || typeof right !== "string") return jsonEqual(left, right);
    if (keyword !== "$ref") return left === right && a.base === b.base && a.doc === b.doc;
    const leftTarget = resolveRef(a, left, env);
    const rightTarget = resolveRef(b, right, env);
    if (leftTarget === undefined || rightTarget === undefined) return false;
    return compare(leftTarget, rightTarget, env, assumed);
  }
  const leftShape = skeleton(keyword, left);
  const rightShape = skeleton(keyword, right);
  if (!jsonEqual(leftShape.shape, rightShape.shape)) return false;
  return leftShape.paths.every((segments) => {
    const leftChild = childNode(a, segments);
    const rightChild = childNode(b, segments);
    return (
      leftChild !== undefined && rightChild !== undefined && compare(leftChild, rightChild, env, assumed)
    );
  });
}

function assertions(schema: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(schema)
    .filter((keyword) => !isIgnored(keyword))
    .sort();
}

function compare(a: SchemaNode, b: SchemaNode, env: Env, assumed: Set<string>): boolean {
  if (!spend(env)) return false;
  const dialectA = a.doc.dialect;
  const dialectB = b.doc.dialect;
  if (dialectA.arrays !== dialectB.arrays || dialectA.refSiblings !== dialectB.refSiblings) return false;
  if (a.schema === b.schema && a.doc === b.doc && a.base === b.base) return true;
  if (typeof a.schema === "boolean" || typeof b.schema === "boolean") return a.schema === b.schema;
  const pair = `${nodeKey(env, a)}|${nodeKey(env, b)}`;
  if (assumed.has(pair)) return true;
  assumed.add(pair);
  const keywords = assertions(a.schema);
  const others = assertions(b.schema);
  return jsonEqual(keywords, others) && keywords.every((keyword) => sameKeyword(a, b, keyword, env, assumed));
}

/** Whether two nodes are certainly the same schema (false when unsure). */
export function sameSchema(a: SchemaNode, b: SchemaNode, env: Env): boolean {
  const key = `${nodeKey(env, a)}|${nodeKey(env, b)}`;
  const cached = env.sameCache.get(key);
  if (cached !== undefined) return cached;
  const result = compare(a, b, env, new Set());
  env.sameCache.set(key, result);
  return result;
}

/** Whether one keyword (or a group of keywords read together) is the same in both nodes. */
export function sameKeywords(a: SchemaNode, b: SchemaNode, keywords: readonly string[], env: Env): boolean {
  if (!isRecord(a.schema) || !isRecord(b.schema)) return false;
  const dialectA = a.doc.dialect;
  const dialectB = b.doc.dialect;
  if (dialectA.arrays !== dialectB.arrays || dialectA.refSiblings !== dialectB.refSiblings) return false;
  const left = a.schema;
  const right = b.schema;
  return keywords.every((keyword) => {
    const inLeft = Object.hasOwn(left, keyword);
    if (inLeft !== Object.hasOwn(right, keyword)) return false;
    return !inLeft || sameKeyword(a, b, keyword, env, new Set());
  });
}
