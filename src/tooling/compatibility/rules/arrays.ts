/**
 * Rules for arrays: item counts, `uniqueItems`, the item schemas (draft-07
 * `items` list + `additionalItems`, or 2020-12 `prefixItems` + `items`),
 * compared position by position, and `contains`.
 */
import { breaking, type Finding, undecidable } from "../findings.js";
import { isRecord } from "../json-values.js";
import { largest, mostItems } from "../narrower-facts.js";
import type { KeywordRule, RuleContext } from "../rule-context.js";
import { childNode, reportPath, type SchemaNode } from "../schema-node.js";
import { listChildren, malformed } from "./shared.js";

interface Shape {
  readonly tuple: readonly SchemaNode[];
  readonly rest: SchemaNode | undefined;
  readonly malformed?: string;
}

/** The schemas for leading positions and for every later one, as the node's dialect reads them. */
function shapeOf(node: SchemaNode): Shape {
  const schema = isRecord(node.schema) ? node.schema : {};
  if (node.doc.dialect.arrays === "2020-12") {
    if (Array.isArray(schema.items)) return { tuple: [], rest: undefined, malformed: "items" };
    return { tuple: listChildren(node, "prefixItems") ?? [], rest: childNode(node, ["items"]) };
  }
  const tuple = listChildren(node, "items");
  if (tuple === undefined) return { tuple: [], rest: childNode(node, ["items"]) };
  return { tuple, rest: childNode(node, ["additionalItems"]) };
}

function atPosition(shape: Shape, index: number): SchemaNode | undefined {
  return index < shape.tuple.length ? shape.tuple[index] : shape.rest;
}

function compareItem(
  ctx: RuleContext,
  narrower: SchemaNode[],
  wider: SchemaNode,
  suffix: string,
  rest: boolean,
): Finding[] {
  const findings = ctx.child(narrower, wider, suffix);
  if (wider.schema !== false || !rest) return findings;
  return findings.map((finding) =>
    finding.rule === "schema-closed"
      ? breaking("additional-items-closed", finding.path, finding.instance, (narrower, wider) => {
          return `${wider} allows no items past position ${suffix.slice(1) === "*" ? "the listed ones" : suffix.slice(1)}, which ${narrower} allows`;
        })
      : finding,
  );
}

function itemsRule(keywords: readonly string[]): KeywordRule {
  return {
    keywords,
    kinds: ["array"],
    check(ctx) {
      const wider = shapeOf(ctx.wider);
      if (wider.malformed !== undefined) return malformed(ctx, wider.malformed);
      const narrower = ctx.narrower.plain.map(shapeOf).filter((shape) => shape.malformed === undefined);
      const most = mostItems(ctx.narrower.plain);
      const listed = Math.max(wider.tuple.length, ...narrower.map((shape) => shape.tuple.length));
      const findings: Finding[] = [];
      for (let index = 0; index < Math.min(listed, most); index++) {
        const target = atPosition(wider, index);
        if (target === undefined) continue;
        const own = narrower.flatMap((shape) => atPosition(shape, index) ?? []);
        findings.push(...compareItem(ctx, own, target, `/${index}`, index >= wider.tuple.length));
      }
      if (most > listed && wider.rest !== undefined) {
        const own = narrower.flatMap((shape) => shape.rest ?? []);
        findings.push(...compareItem(ctx, own, wider.rest, "/*", true));
      }
      return findings;
    },
  };
}

function count(keyword: "minItems" | "maxItems"): KeywordRule {
  const lower = keyword === "minItems";
  return {
    keywords: [keyword],
    kinds: ["array"],
    check(ctx) {
      const limit = ctx.schema[keyword];
      if (typeof limit !== "number") return malformed(ctx, keyword);
      const own = lower ? (largest(ctx.narrower.plain, "minItems") ?? 0) : mostItems(ctx.narrower.plain);
      if (lower ? own >= limit : own <= limit) return [];
      return [
        breaking(
          lower ? "min-items-raised" : "max-items-lowered",
          reportPath(ctx.wider, keyword),
          ctx.instance,
          (narrower, wider) =>
            `${wider} requires arrays of ${lower ? "at least" : "at most"} ${limit} items, where ${narrower} allows ${Number.isFinite(own) ? `${lower ? "as few as" : "as many as"} ${own}` : "any number"}`,
        ),
      ];
    },
  };
}

const uniqueItems: KeywordRule = {
  keywords: ["uniqueItems"],
  kinds: ["array"],
  check(ctx) {
    if (ctx.schema.uniqueItems === false) return [];
    if (ctx.schema.uniqueItems !== true) return malformed(ctx, "uniqueItems");
    const unique = ctx.narrower.plain.some(
      (node) => isRecord(node.schema) && node.schema.uniqueItems === true,
    );
    if (unique || mostItems(ctx.narrower.plain) <= 1) return [];
    return [
      breaking(
        "unique-items-added",
        reportPath(ctx.wider, "uniqueItems"),
        ctx.instance,
        (narrower, wider) => {
          return `${wider} requires the items of arrays to be unique, which ${narrower} does not`;
        },
      ),
    ];
  },
};

/**
 * `contains`. Ajv (8.x) may accept an empty array under `contains` when a
 * tuple `items` and `minItems` stand beside it, so a narrower `contains`
 * proves a wider one only for arrays that cannot be empty.
 */
const contains: KeywordRule = {
  keywords: ["contains", "minContains", "maxContains"],
  kinds: ["array"],
  sameProves: false,
  check(ctx) {
    const wanted = childNode(ctx.wider, ["contains"]);
    if (wanted === undefined) return [];
    const path = reportPath(ctx.wider, "contains");
    const bounded = ctx.schema.minContains !== undefined || ctx.schema.maxContains !== undefined;
    const fewest = largest(ctx.narrower.plain, "minItems") ?? 0;
    const own = ctx.narrower.plain.flatMap((node) => {
      const schema = node.schema;
      if (!isRecord(schema) || schema.minContains !== undefined || schema.maxContains !== undefined)
        return [];
      return childNode(node, ["contains"]) ?? [];
    });
    if (!bounded && fewest >= 1 && own.some((inner) => ctx.child([inner], wanted, "/*").length === 0))
      return [];
    if (!bounded && own.length === 0 && fewest === 0) {
      return [
        breaking("contains-changed", path, ctx.instance, (narrower, wider) => {
          return `${wider} requires arrays to contain a matching item, which ${narrower} does not (the empty array)`;
        }),
      ];
    }
    return [
      undecidable("contains-changed", path, ctx.instance, (narrower, wider) => {
        return `${wider} constrains which items arrays contain; whether every array ${narrower} allows complies cannot be decided`;
      }),
    ];
  },
};

export function arrayRules(arrays: "draft-07" | "2020-12"): readonly KeywordRule[] {
  return [
    itemsRule(arrays === "2020-12" ? ["prefixItems", "items"] : ["items", "additionalItems"]),
    count("minItems"),
    count("maxItems"),
    uniqueItems,
    contains,
  ];
}
