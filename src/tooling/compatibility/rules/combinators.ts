/**
 * Rules for the wider side's `anyOf`, `oneOf`, `not` and `if`/`then`/`else`.
 * `anyOf` holds when one branch covers the narrower side, or, kind by kind,
 * one branch covers each kind; `oneOf` also needs the other branches proven
 * disjoint from it. A union of branches covering jointly is not recognised:
 * that is reported as undecidable, never as compatible.
 */

import { expandNarrower } from "../expand.js";
import { breaking, type Finding, undecidable } from "../findings.js";
import { describeKinds, type Kind, type KindSet } from "../json-values.js";
import { narrowerKinds } from "../narrower-facts.js";
import type { KeywordRule, RuleContext } from "../rule-context.js";
import { childNode, reportPath, type SchemaNode } from "../schema-node.js";
import { listChildren, malformed } from "./shared.js";

type Cover = "covered" | "overlap" | "none";

/** Whether some branch covers the narrower instances of `kinds` (and, for oneOf, no other branch meets them). */
function cover(ctx: RuleContext, branches: readonly SchemaNode[], kinds: KindSet, exclusive: boolean): Cover {
  let overlap = false;
  for (const [index, branch] of branches.entries()) {
    if (ctx.same(ctx.narrower, branch, kinds).length > 0) continue;
    const others = branches.filter((_, other) => other !== index);
    if (!exclusive || others.every((other) => ctx.disjoint(ctx.narrower, other, kinds))) return "covered";
    overlap = true;
  }
  return overlap ? "overlap" : "none";
}

/** Whether a branch can hold a value of this kind (unsure counts as yes). */
function admits(ctx: RuleContext, branch: SchemaNode, kind: Kind): boolean {
  const expansion = expandNarrower([branch], ctx.env, ctx.instance);
  if (expansion.findings.length > 0) return true;
  return expansion.disjuncts.some((disjunct) => narrowerKinds(disjunct.plain).has(kind));
}

function alternatives(keyword: "anyOf" | "oneOf"): KeywordRule {
  const exclusive = keyword === "oneOf";
  return {
    keywords: [keyword],
    kinds: ["null", "boolean", "integer", "fraction", "string", "array", "object"],
    check(ctx) {
      const branches = listChildren(ctx.wider, keyword);
      if (branches === undefined || branches.length === 0) return malformed(ctx, keyword);
      const whole = cover(ctx, branches, ctx.kinds, exclusive);
      if (whole === "covered") return [];
      const path = reportPath(ctx.wider, keyword);
      const missing: Kind[] = [];
      const rejected: Kind[] = [];
      const findings: Finding[] = [];
      for (const kind of ctx.kinds) {
        const only = new Set([kind]);
        const result = ctx.kinds.size === 1 ? whole : cover(ctx, branches, only, exclusive);
        if (result === "covered") continue;
        if (!branches.some((branch) => admits(ctx, branch, kind))) {
          missing.push(kind);
        } else if (branches.every((branch) => ctx.disjoint(ctx.narrower, branch, only))) {
          rejected.push(kind);
        } else if (result === "overlap") {
          findings.push(
            undecidable("one-of-overlap", path, ctx.instance, (narrower, wider) => {
              return `a branch of ${wider}'s oneOf covers ${narrower} here, but other branches may match the same ${describeKinds([kind])}`;
            }),
          );
        } else {
          findings.push(
            undecidable("any-of-uncovered", path, ctx.instance, (narrower, wider) => {
              return `no single branch of ${wider}'s ${keyword} accepts all ${describeKinds([kind])} ${narrower} accepts here`;
            }),
          );
        }
      }
      if (rejected.length > 0) {
        findings.push(
          breaking("any-of-narrowed", path, ctx.instance, (narrower, wider) => {
            return `no branch of ${wider}'s ${keyword} accepts the ${describeKinds(rejected)} ${narrower} accepts here`;
          }),
        );
      }
      if (missing.length > 0) {
        findings.push(
          breaking("type-narrowed", path, ctx.instance, (narrower, wider) => {
            return `no branch of ${wider}'s ${keyword} accepts ${describeKinds(missing)}, which ${narrower} accepts`;
          }),
        );
      }
      return findings;
    },
  };
}

const not: KeywordRule = {
  keywords: ["not"],
  kinds: ["null", "boolean", "integer", "fraction", "string", "array", "object"],
  check(ctx) {
    const excluded = childNode(ctx.wider, ["not"]);
    if (excluded === undefined) return malformed(ctx, "not");
    if (ctx.disjoint(ctx.narrower, excluded, ctx.kinds)) return [];
    const own = ctx.narrower.plain.flatMap((node) => childNode(node, ["not"]) ?? []);
    if (own.some((mine) => ctx.same([excluded], mine).length === 0)) return [];
    return [
      undecidable("not-changed", reportPath(ctx.wider, "not"), ctx.instance, (narrower, wider) => {
        return `${wider} excludes values with "not"; whether ${narrower} allows any of them cannot be decided`;
      }),
    ];
  },
};

const conditional: KeywordRule = {
  keywords: ["if", "then", "else"],
  kinds: ["null", "boolean", "integer", "fraction", "string", "array", "object"],
  check(ctx) {
    if (ctx.schema.if === undefined) return [];
    const condition = childNode(ctx.wider, ["if"]);
    if (condition === undefined) return malformed(ctx, "if");
    const covered = (keyword: string): boolean => {
      const branch = childNode(ctx.wider, [keyword]);
      return branch === undefined || ctx.same(ctx.narrower, branch, ctx.kinds).length === 0;
    };
    const thenHolds = covered("then") || ctx.disjoint(ctx.narrower, condition, ctx.kinds);
    const elseHolds = covered("else") || ctx.same(ctx.narrower, condition, ctx.kinds).length === 0;
    if (thenHolds && elseHolds) return [];
    return [
      undecidable("conditional-changed", reportPath(ctx.wider, "if"), ctx.instance, (narrower, wider) => {
        return `${wider} applies if/then/else; whether ${narrower} satisfies it cannot be decided`;
      }),
    ];
  },
};

export const COMBINATOR_RULES: readonly KeywordRule[] = [
  alternatives("anyOf"),
  alternatives("oneOf"),
  not,
  conditional,
];
