/**
 * Proves that two schemas share no instance, which `oneOf` (exactly one
 * branch) and `not` need. Sufficient conditions only: no common kind,
 * listed values the other side rejects, ranges that do not meet, or a
 * property both sides have whose schemas are themselves disjoint (the
 * discriminator pattern). False means "not proven", never "overlapping".
 */
import { type Env, spend } from "./env.js";
import { type Disjunct, expandNarrower } from "./expand.js";
import { intersectKinds, type Kind, type KindSet, kindOf } from "./json-values.js";
import {
  emptyRange,
  fewestProperties,
  largest,
  listedValues,
  mostItems,
  mostProperties,
  narrowerKinds,
  numberBound,
  requiredNames,
  smallest,
} from "./narrower-facts.js";
import { objectShape, schemasForName } from "./object-shape.js";
import { isDisjunct, type Narrower } from "./rule-context.js";
import type { SchemaNode } from "./schema-node.js";
import { validateValue } from "./validate-value.js";

const MAX_DEPTH = 4;

function expanded(env: Env, side: Narrower): readonly Disjunct[] | undefined {
  if (isDisjunct(side)) return [side];
  const expansion = expandNarrower(side, env, "");
  return expansion.findings.length > 0 ? undefined : expansion.disjuncts;
}

function outside(env: Env, value: unknown, side: Disjunct): boolean {
  return side.whole.some((node) => validateValue(value, node, env).status === "invalid");
}

function disjointOnKind(env: Env, a: Disjunct, b: Disjunct, kind: Kind, depth: number): boolean {
  const both = [...a.plain, ...b.plain];
  switch (kind) {
    case "integer":
    case "fraction": {
      const integer = kind === "integer";
      return emptyRange(numberBound(both, true, integer), numberBound(both, false, integer));
    }
    case "string":
      return (largest(both, "minLength") ?? 0) > (smallest(both, "maxLength") ?? Number.POSITIVE_INFINITY);
    case "array":
      return (largest(both, "minItems") ?? 0) > mostItems(both);
    case "object": {
      if (fewestProperties(both) > mostProperties(both)) return true;
      const names = new Set([...requiredNames(a.plain), ...requiredNames(b.plain)]);
      return [...names].some((name) => {
        const left = a.plain.flatMap((node) => schemasForName(objectShape(node), name, env) ?? []);
        const right = b.plain.flatMap((node) => schemasForName(objectShape(node), name, env) ?? []);
        return disjointSides(env, left, right, undefined, depth + 1);
      });
    }
    default:
      return false;
  }
}

function disjointConjunctions(
  env: Env,
  a: Disjunct,
  b: Disjunct,
  kinds: KindSet | undefined,
  depth: number,
): boolean {
  let shared = intersectKinds(narrowerKinds(a.plain), narrowerKinds(b.plain));
  if (kinds !== undefined) shared = intersectKinds(shared, kinds);
  if (shared.size === 0) return true;
  for (const [listing, other] of [
    [a, b],
    [b, a],
  ] as const) {
    const values = listedValues(listing.plain);
    if (values === undefined) continue;
    return values.every((value) => {
      const kind = kindOf(value);
      return (
        kind === undefined || !shared.has(kind) || outside(env, value, listing) || outside(env, value, other)
      );
    });
  }
  return [...shared].every((kind) => disjointOnKind(env, a, b, kind, depth));
}

function disjointSides(
  env: Env,
  left: Narrower,
  right: Narrower,
  kinds: KindSet | undefined,
  depth: number,
): boolean {
  if (depth > MAX_DEPTH || !spend(env)) return false;
  const lefts = expanded(env, left);
  const rights = expanded(env, right);
  if (lefts === undefined || rights === undefined) return false;
  return lefts.every((a) => rights.every((b) => disjointConjunctions(env, a, b, kinds, depth)));
}

/** Whether no instance (of the given kinds) is valid under both sides; false when not proven. */
export function provablyDisjoint(env: Env, narrower: Narrower, other: SchemaNode, kinds: KindSet): boolean {
  return disjointSides(env, narrower, [other], kinds, 0);
}
