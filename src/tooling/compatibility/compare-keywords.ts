/**
 * Checks one plain node of the wider schema keyword by keyword: `type` first
 * (it narrows the kinds the other keywords see), then each keyword group
 * through its rule. A group that some narrower node has identically holds at
 * once; a keyword no rule knows holds only then, else it is undecidable.
 */
import { breaking, type Finding, undecidable } from "./findings.js";
import { describeKinds, intersectKinds, kindsOfType } from "./json-values.js";
import { isIgnored, NON_LOCAL } from "./keywords.js";
import type { KeywordRule, RuleContext } from "./rule-context.js";
import { arrayRules } from "./rules/arrays.js";
import { COMBINATOR_RULES } from "./rules/combinators.js";
import { objectRules } from "./rules/objects.js";
import { propertiesRule } from "./rules/properties.js";
import { SCALAR_RULES } from "./rules/scalars.js";
import { malformed } from "./rules/shared.js";
import { sameKeywords, sameSchema } from "./same-schema.js";
import { type Dialect, laterKeywordsApply, reportPath } from "./schema-node.js";

function ruleTable(arrays: Dialect["arrays"], later: boolean): ReadonlyMap<string, KeywordRule> {
  const table = new Map<string, KeywordRule>();
  const rules = [
    ...SCALAR_RULES,
    ...arrayRules(arrays),
    propertiesRule,
    ...objectRules(later),
    ...COMBINATOR_RULES,
  ];
  for (const rule of rules) {
    for (const keyword of rule.keywords) table.set(keyword, rule);
  }
  return table;
}

/** Rule tables per dialect: keywords of another dialect have no rule and are treated as unknown. */
const TABLES: ReadonlyMap<string, ReadonlyMap<string, KeywordRule>> = new Map(
  (["draft-07", "2020-12"] as const).flatMap((arrays) =>
    [false, true].map((later) => [`${arrays} ${later}`, ruleTable(arrays, later)] as const),
  ),
);

function rulesFor(dialect: Dialect): ReadonlyMap<string, KeywordRule> {
  return TABLES.get(`${dialect.arrays} ${laterKeywordsApply(dialect)}`) ?? new Map();
}

function unknownKeyword(ctx: RuleContext, keyword: string): Finding[] {
  if (NON_LOCAL.has(keyword)) {
    if (ctx.narrower.whole.some((node) => sameSchema(node, ctx.wider, ctx.env))) return [];
  } else if (ctx.narrower.plain.some((node) => sameKeywords(node, ctx.wider, [keyword], ctx.env))) {
    return [];
  }
  const rule = keyword.startsWith("unevaluated") ? "unevaluated-changed" : "unknown-keyword";
  return [
    undecidable(rule, reportPath(ctx.wider, keyword), ctx.instance, (narrower, wider) => {
      return `${wider} has "${keyword}", which the checker cannot compare with ${narrower}`;
    }),
  ];
}

/** The findings for one plain wider node (an object schema) against the narrower disjunct. */
export function compareKeywords(ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  let kinds = ctx.kinds;
  if (Object.hasOwn(ctx.schema, "type")) {
    const allowed = kindsOfType(ctx.schema.type);
    if (allowed === undefined) {
      findings.push(...malformed(ctx, "type"));
    } else {
      const missing = [...kinds].filter((kind) => !allowed.has(kind));
      if (missing.length > 0) {
        findings.push(
          breaking("type-narrowed", reportPath(ctx.wider, "type"), ctx.instance, (narrower, wider) => {
            return `${wider} does not accept ${describeKinds(missing)}, which ${narrower} accepts`;
          }),
        );
      }
      kinds = intersectKinds(kinds, allowed);
    }
  }
  if (kinds.size === 0) return findings;
  const rules = rulesFor(ctx.wider.doc.dialect);
  const handled = new Set(["type", "$ref", "allOf"]);
  const narrowed = { ...ctx, kinds };
  for (const keyword of Object.keys(ctx.schema)) {
    if (handled.has(keyword) || isIgnored(keyword)) continue;
    const rule = rules.get(keyword);
    if (rule === undefined) {
      handled.add(keyword);
      findings.push(...unknownKeyword(narrowed, keyword));
      continue;
    }
    for (const owned of rule.keywords) handled.add(owned);
    if (!rule.kinds.some((kind) => kinds.has(kind))) continue;
    const proven =
      rule.sameProves !== false &&
      ctx.narrower.plain.some((node) => sameKeywords(node, ctx.wider, rule.keywords, ctx.env));
    if (proven) continue;
    findings.push(...rule.check(narrowed));
  }
  return findings;
}
