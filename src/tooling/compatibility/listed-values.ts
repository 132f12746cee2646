/**
 * When the narrower side lists its values (`enum`, `const`), the comparison
 * is exact: each listed value that the narrower side accepts is validated
 * against the wider schema. A rejection names the keyword that rejected it.
 */
import type { Env } from "./env.js";
import type { Disjunct } from "./expand.js";
import { breaking, type Finding, type RuleId, undecidable } from "./findings.js";
import { type KindSet, kindOf, showValue } from "./json-values.js";
import { NON_LOCAL } from "./keywords.js";
import { sameKeywords } from "./same-schema.js";
import { reportPath, type SchemaNode } from "./schema-node.js";
import { VALUE_KEYWORDS } from "./validate-keywords.js";
import { validateValue } from "./validate-value.js";
import { allOfVerdicts, type Verdict } from "./verdict.js";

const REJECTING_RULES: Readonly<Record<string, RuleId>> = {
  type: "type-narrowed",
  enum: "enum-value-removed",
  const: "const-changed",
  minimum: "minimum-raised",
  exclusiveMinimum: "minimum-raised",
  maximum: "maximum-lowered",
  exclusiveMaximum: "maximum-lowered",
  multipleOf: "multiple-of-changed",
  minLength: "min-length-raised",
  maxLength: "max-length-lowered",
  pattern: "pattern-added",
  minItems: "min-items-raised",
  maxItems: "max-items-lowered",
  uniqueItems: "unique-items-added",
  required: "required-added",
  minProperties: "min-properties-raised",
  maxProperties: "max-properties-lowered",
  dependencies: "dependent-required-added",
  dependentRequired: "dependent-required-added",
};

const UNDECIDED_RULES: Readonly<Record<string, RuleId>> = {
  format: "format-changed",
  pattern: "pattern-changed",
  patternProperties: "pattern-properties-changed",
  additionalProperties: "pattern-properties-changed",
  $ref: "ref-unresolved",
  unevaluatedProperties: "unevaluated-changed",
  unevaluatedItems: "unevaluated-changed",
};

const COMBINATORS = new Set(["", "allOf", "anyOf", "oneOf", "not", "if"]);

function rejectingRule(verdict: Exclude<Verdict, { readonly status: "valid" }>): RuleId {
  if (verdict.keyword !== "") return REJECTING_RULES[verdict.keyword] ?? "value-rejected";
  const pointer = verdict.node.pointer;
  if (pointer.endsWith("/additionalProperties")) return "additional-properties-closed";
  if (pointer.endsWith("/additionalItems") || pointer.endsWith("/items")) return "additional-items-closed";
  return "schema-closed";
}

function findingFor(value: unknown, verdict: Verdict, certain: boolean, instance: string): Finding[] {
  if (verdict.status === "valid") return [];
  const path = verdict.keyword === "" ? reportPath(verdict.node) : reportPath(verdict.node, verdict.keyword);
  const at = instance + verdict.instance;
  const shown = showValue(value);
  const by = verdict.keyword === "" ? "a false schema" : `"${verdict.keyword}"`;
  if (verdict.status === "invalid") {
    const make = certain ? breaking : undecidable;
    return [
      make(rejectingRule(verdict), path, at, (narrower, wider) => {
        return `${wider} rejects the value ${shown} (by ${by}), which ${narrower} allows`;
      }),
    ];
  }
  const known = VALUE_KEYWORDS.has(verdict.keyword) || COMBINATORS.has(verdict.keyword);
  const rule = UNDECIDED_RULES[verdict.keyword] ?? (known ? "value-undecided" : "unknown-keyword");
  return [
    undecidable(rule, path, at, (narrower, wider) => {
      return `whether ${wider} accepts the value ${shown}, which ${narrower} allows, cannot be decided (${by})`;
    }),
  ];
}

/** Compares a narrower side that lists its values against one wider node. */
export function compareListed(
  env: Env,
  narrower: Disjunct,
  values: readonly unknown[],
  wider: SchemaNode,
  kinds: KindSet,
  instance: string,
): Finding[] {
  const holdsAtRoot = (node: SchemaNode, keyword: string): boolean =>
    !NON_LOCAL.has(keyword) && narrower.plain.some((own) => sameKeywords(own, node, [keyword], env));
  return values.flatMap((value) => {
    const kind = kindOf(value);
    if (kind === undefined || !kinds.has(kind)) return [];
    const membership = allOfVerdicts(narrower.whole.map((node) => validateValue(value, node, env)));
    if (membership.status === "invalid") return [];
    const verdict = validateValue(value, wider, env, { holdsAtRoot });
    return findingFor(value, verdict, membership.status === "valid", instance);
  });
}
