/**
 * Rules for objects apart from the property schemas: `required`, property
 * counts, `propertyNames`, and dependencies (`dependentRequired`,
 * `dependentSchemas`, draft-07 `dependencies`).
 */
import { asUndecidable, breaking, type Finding, undecidable } from "../findings.js";
import { isRecord } from "../json-values.js";
import { closedNames, fewestProperties, mostProperties, requiredNames } from "../narrower-facts.js";
import type { KeywordRule, RuleContext } from "../rule-context.js";
import { sameSchema } from "../same-schema.js";
import { childNode, laterKeywordsApply, reportPath } from "../schema-node.js";
import { validateValue } from "../validate-value.js";
import { malformed } from "./shared.js";

const required: KeywordRule = {
  keywords: ["required"],
  kinds: ["object"],
  check(ctx) {
    const names = ctx.schema.required;
    if (!Array.isArray(names) || !names.every((name) => typeof name === "string"))
      return malformed(ctx, "required");
    const own = requiredNames(ctx.narrower.plain);
    return names.flatMap((name, index) =>
      own.has(name)
        ? []
        : [
            breaking(
              "required-added",
              reportPath(ctx.wider, "required", index),
              ctx.instance,
              (narrower, wider) => {
                return `${wider} requires the property "${name}", which ${narrower} does not`;
              },
            ),
          ],
    );
  },
};

function count(keyword: "minProperties" | "maxProperties"): KeywordRule {
  const lower = keyword === "minProperties";
  return {
    keywords: [keyword],
    kinds: ["object"],
    check(ctx) {
      const limit = ctx.schema[keyword];
      if (typeof limit !== "number") return malformed(ctx, keyword);
      const own = lower ? fewestProperties(ctx.narrower.plain) : mostProperties(ctx.narrower.plain);
      if (lower ? own >= limit : own <= limit) return [];
      return [
        breaking(
          lower ? "min-properties-raised" : "max-properties-lowered",
          reportPath(ctx.wider, keyword),
          ctx.instance,
          (narrower, wider) =>
            `${wider} requires objects with ${lower ? "at least" : "at most"} ${limit} properties, where ${narrower} allows ${Number.isFinite(own) ? `${lower ? "as few as" : "as many as"} ${own}` : "any number"}`,
        ),
      ];
    },
  };
}

const propertyNames: KeywordRule = {
  keywords: ["propertyNames"],
  kinds: ["object"],
  check(ctx) {
    const wanted = childNode(ctx.wider, ["propertyNames"]);
    if (wanted === undefined) return malformed(ctx, "propertyNames");
    const path = reportPath(ctx.wider, "propertyNames");
    const own = ctx.narrower.plain.flatMap((node) => childNode(node, ["propertyNames"]) ?? []);
    const attempt = own.length === 0 ? undefined : ctx.child(own, wanted, " (property names)");
    if (attempt?.length === 0) return [];
    const names = closedNames(ctx.narrower.plain);
    if (names !== undefined) {
      return [...names].flatMap((name): Finding[] => {
        const verdict = validateValue(name, wanted, ctx.env);
        if (verdict.status === "valid") return [];
        const make = verdict.status === "invalid" ? breaking : undecidable;
        return [
          make("property-names-changed", path, ctx.instance, (narrower, wider) => {
            return `${wider} does not accept the property name "${name}", which ${narrower} allows`;
          }),
        ];
      });
    }
    if (attempt !== undefined) return asUndecidable(attempt);
    return [
      undecidable("property-names-changed", path, ctx.instance, (narrower, wider) => {
        return `${wider} constrains property names; whether every name ${narrower} allows complies cannot be decided`;
      }),
    ];
  },
};

/** Whether the narrower side guarantees `other` whenever `name` is present. */
function impliesPresence(ctx: RuleContext, name: string, other: string): boolean {
  if (requiredNames(ctx.narrower.plain).has(other)) return true;
  const closed = closedNames(ctx.narrower.plain);
  if (closed !== undefined && !closed.has(name)) return true;
  return ctx.narrower.plain.some((node) => {
    if (!isRecord(node.schema)) return false;
    const map = node.schema[laterKeywordsApply(node.doc.dialect) ? "dependentRequired" : "dependencies"];
    const list = isRecord(map) ? map[name] : undefined;
    return Array.isArray(list) && list.includes(other);
  });
}

function dependencies(keyword: "dependencies" | "dependentRequired" | "dependentSchemas"): KeywordRule {
  return {
    keywords: [keyword],
    kinds: ["object"],
    check(ctx) {
      const map = ctx.schema[keyword];
      if (!isRecord(map)) return malformed(ctx, keyword);
      return Object.entries(map).flatMap(([name, dependency]): Finding[] => {
        const path = reportPath(ctx.wider, keyword, name);
        if (Array.isArray(dependency) && keyword !== "dependentSchemas") {
          return dependency.flatMap((other): Finding[] =>
            typeof other === "string" && impliesPresence(ctx, name, other)
              ? []
              : [
                  breaking("dependent-required-added", path, ctx.instance, (narrower, wider) => {
                    return `${wider} requires "${String(other)}" whenever "${name}" is present, which ${narrower} does not`;
                  }),
                ],
          );
        }
        const wanted = childNode(ctx.wider, [keyword, name]);
        if (wanted === undefined || keyword === "dependentRequired") return malformed(ctx, keyword);
        const closed = closedNames(ctx.narrower.plain);
        if (closed !== undefined && !closed.has(name)) return [];
        const same = ctx.narrower.plain.some((node) => {
          const mine = childNode(node, [
            laterKeywordsApply(node.doc.dialect) ? "dependentSchemas" : "dependencies",
            name,
          ]);
          return mine !== undefined && sameSchema(mine, wanted, ctx.env);
        });
        if (same) return [];
        if (requiredNames(ctx.narrower.plain).has(name))
          return ctx.same(ctx.narrower, wanted, new Set(["object"]));
        return [
          undecidable("dependent-schemas-changed", path, ctx.instance, (narrower, wider) => {
            return `${wider} applies a schema whenever "${name}" is present; whether ${narrower} guarantees it cannot be decided`;
          }),
        ];
      });
    },
  };
}

export function objectRules(later: boolean): readonly KeywordRule[] {
  return [
    required,
    count("minProperties"),
    count("maxProperties"),
    propertyNames,
    ...(later
      ? [dependencies("dependentRequired"), dependencies("dependentSchemas")]
      : [dependencies("dependencies")]),
  ];
}
