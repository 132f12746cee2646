/**
 * Rules for keywords on scalar values: `enum` and `const` (when the narrower
 * side does not list its values), numeric bounds and `multipleOf`, string
 * lengths, `pattern` and `format`.
 */
import { breaking, type RuleId, undecidable } from "../findings.js";
import { describeKinds, type Kind, showValue } from "../json-values.js";
import { boundImplies, emptyRange, largest, numberBound, smallest, stringValues } from "../narrower-facts.js";
import type { KeywordRule } from "../rule-context.js";
import { reportPath } from "../schema-node.js";
import { formatBound, malformed } from "./shared.js";

/** Formats Ajv (ajv-formats) applies to numbers; every other format applies to strings. */
const NUMBER_FORMATS = new Set(["int32", "int64", "float", "double"]);

function listed(keyword: "enum" | "const"): KeywordRule {
  return {
    keywords: [keyword],
    kinds: ["null", "boolean", "integer", "fraction", "string", "array", "object"],
    check(ctx) {
      const values = keyword === "const" ? [ctx.schema.const] : ctx.schema.enum;
      if (!Array.isArray(values)) return malformed(ctx, keyword);
      const open = [...ctx.kinds].filter((kind) => {
        if (kind === "null") return !values.includes(null);
        if (kind === "boolean") return !(values.includes(true) && values.includes(false));
        return true;
      });
      if (open.length === 0) return [];
      const shown = keyword === "const" ? showValue(ctx.schema.const) : `the values ${showValue(values)}`;
      return [
        breaking(
          keyword === "enum" ? "enum-added" : "const-added",
          reportPath(ctx.wider, keyword),
          ctx.instance,
          (narrower, wider) =>
            `${wider} allows only ${shown}, where ${narrower} allows other ${describeKinds(open)}`,
        ),
      ];
    },
  };
}

function bound(keyword: string, lower: boolean, exclusive: boolean): KeywordRule {
  const rule: RuleId = lower ? "minimum-raised" : "maximum-lowered";
  return {
    keywords: [keyword],
    kinds: ["integer", "fraction"],
    check(ctx) {
      const value = ctx.schema[keyword];
      if (typeof value !== "number") return malformed(ctx, keyword);
      const failing = (["integer", "fraction"] as const).filter((kind) => {
        if (!ctx.kinds.has(kind)) return false;
        const integer = kind === "integer";
        const low = numberBound(ctx.narrower.plain, true, integer);
        const high = numberBound(ctx.narrower.plain, false, integer);
        return !emptyRange(low, high) && !boundImplies(lower ? low : high, { value, exclusive }, lower);
      });
      if (failing.length === 0) return [];
      const own = numberBound(ctx.narrower.plain, lower, false);
      const theirs = own === undefined ? "no such bound" : formatBound(own.value, own.exclusive, lower);
      return [
        breaking(
          rule,
          reportPath(ctx.wider, keyword),
          ctx.instance,
          (narrower, wider) =>
            `${wider} requires ${describeKinds(failing)} ${formatBound(value, exclusive, lower)}, where ${narrower} has ${theirs}`,
        ),
      ];
    },
  };
}

const multipleOf: KeywordRule = {
  keywords: ["multipleOf"],
  kinds: ["integer", "fraction"],
  check(ctx) {
    const divisor = ctx.schema.multipleOf;
    if (typeof divisor !== "number" || divisor <= 0) return malformed(ctx, "multipleOf");
    const own = ctx.narrower.plain.flatMap((node) =>
      typeof node.schema === "object" && typeof node.schema.multipleOf === "number"
        ? [node.schema.multipleOf]
        : [],
    );
    // For integers a multiple of a multiple is a multiple; for other numbers only the same divisor is
    // certain, since Ajv divides in floating point.
    const divides = (value: number, kind: Kind): boolean =>
      value === divisor ||
      (kind === "integer" && Number.isInteger(value) && Number.isInteger(divisor) && value % divisor === 0);
    const failing = (["integer", "fraction"] as const).filter(
      (kind) =>
        ctx.kinds.has(kind) &&
        !own.some((value) => divides(value, kind)) &&
        !(kind === "integer" && divisor === 1),
    );
    if (failing.length === 0) return [];
    const certain = Number.isInteger(divisor) && own.length <= 1 && own.every(Number.isInteger);
    const make = certain ? breaking : undecidable;
    return [
      make("multiple-of-changed", reportPath(ctx.wider, "multipleOf"), ctx.instance, (narrower, wider) =>
        own.length === 0
          ? `${wider} requires multiples of ${divisor}, which ${narrower} does not`
          : `${wider} requires multiples of ${divisor}, where ${narrower} requires multiples of ${own.join(" and ")}`,
      ),
    ];
  },
};

function length(keyword: "minLength" | "maxLength"): KeywordRule {
  const lower = keyword === "minLength";
  return {
    keywords: [keyword],
    kinds: ["string"],
    check(ctx) {
      const limit = ctx.schema[keyword];
      if (typeof limit !== "number") return malformed(ctx, keyword);
      const least = largest(ctx.narrower.plain, "minLength") ?? 0;
      const most = smallest(ctx.narrower.plain, "maxLength") ?? Number.POSITIVE_INFINITY;
      if (least > most || (lower ? least >= limit : most <= limit)) return [];
      const own = lower ? least : most;
      return [
        breaking(
          lower ? "min-length-raised" : "max-length-lowered",
          reportPath(ctx.wider, keyword),
          ctx.instance,
          (narrower, wider) =>
            `${wider} requires strings of ${lower ? "at least" : "at most"} ${limit} characters, where ${narrower} allows ${lower ? "as few as" : "as many as"} ${own}`,
        ),
      ];
    },
  };
}

const pattern: KeywordRule = {
  keywords: ["pattern"],
  kinds: ["string"],
  check(ctx) {
    const wanted = ctx.schema.pattern;
    if (typeof wanted !== "string") return malformed(ctx, "pattern");
    const own = stringValues(ctx.narrower.plain, "pattern");
    if (wanted === "" || own.includes(wanted)) return [];
    const path = reportPath(ctx.wider, "pattern");
    if (own.length === 0 && stringValues(ctx.narrower.plain, "format").length === 0) {
      return [
        breaking("pattern-added", path, ctx.instance, (narrower, wider) => {
          return `${wider} requires strings to match ${showValue(wanted)}, which ${narrower} does not`;
        }),
      ];
    }
    return [
      undecidable("pattern-changed", path, ctx.instance, (narrower, wider) => {
        return `${wider} requires strings to match ${showValue(wanted)}; whether every string ${narrower} allows does cannot be decided`;
      }),
    ];
  },
};

const format: KeywordRule = {
  keywords: ["format"],
  kinds: ["string", "integer", "fraction"],
  check(ctx) {
    const wanted = ctx.schema.format;
    if (typeof wanted !== "string") return malformed(ctx, "format");
    const applies: readonly Kind[] = NUMBER_FORMATS.has(wanted) ? ["integer", "fraction"] : ["string"];
    if (!applies.some((kind) => ctx.kinds.has(kind))) return [];
    const own = stringValues(ctx.narrower.plain, "format");
    if (own.includes(wanted)) return [];
    const path = reportPath(ctx.wider, "format");
    if (own.length === 0 && stringValues(ctx.narrower.plain, "pattern").length === 0) {
      return [
        breaking("format-added", path, ctx.instance, (narrower, wider) => {
          return `${wider} requires the format "${wanted}", which ${narrower} does not`;
        }),
      ];
    }
    return [
      undecidable("format-changed", path, ctx.instance, (narrower, wider) => {
        return `${wider} requires the format "${wanted}"; whether every value ${narrower} allows has it cannot be decided`;
      }),
    ];
  },
};

export const SCALAR_RULES: readonly KeywordRule[] = [
  listed("enum"),
  listed("const"),
  bound("minimum", true, false),
  bound("exclusiveMinimum", true, true),
  bound("maximum", false, false),
  bound("exclusiveMaximum", false, true),
  multipleOf,
  length("minLength"),
  length("maxLength"),
  pattern,
  format,
];
