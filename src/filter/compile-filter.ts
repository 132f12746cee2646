/**
 * Compiles Subscriptions API filters (subscriptions spec 3.2.4) into
 * predicates, once, at config load. Each filter can also say why it matched
 * or not, for route explain.
 */
import { type CloudEvent, getAttribute } from "../event/cloud-event.js";
import { compileCesql } from "./cesql/index.js";
import type { AttributeMatches, FilterConfig } from "./filter-config.js";

export interface FilterVerdict {
  readonly matched: boolean;
  /** Why, in words, for route explain. */
  readonly reason: string;
}

export interface CompiledFilter {
  matches(event: CloudEvent): boolean;
  explain(event: CloudEvent): FilterVerdict;
}

type Comparison = (value: string, expected: string) => boolean;

const COMPARISONS: Record<"exact" | "prefix" | "suffix", Comparison> = {
  exact: (value, expected) => value === expected,
  prefix: (value, expected) => value.startsWith(expected),
  suffix: (value, expected) => value.endsWith(expected),
};

function attributeFilter(dialect: "exact" | "prefix" | "suffix", entries: AttributeMatches): CompiledFilter {
  const pairs = Object.entries(entries);
  const compare = COMPARISONS[dialect];
  // Attribute values compare by their canonical string form (Integer 5 is "5").
  const failing = (event: CloudEvent): string | undefined => {
    for (const [name, expected] of pairs) {
      const value = getAttribute(event, name);
      if (value === undefined) return `${dialect} ${name}: the event has no "${name}" attribute`;
      if (!compare(String(value), expected)) {
        return `${dialect} ${name}: ${JSON.stringify(String(value))} does not ${dialect === "exact" ? "equal" : `have the ${dialect}`} ${JSON.stringify(expected)}`;
      }
    }
    return undefined;
  };
  const description = pairs.map(([name, expected]) => `${name} ${JSON.stringify(expected)}`).join(", ");
  return {
    matches: (event) => failing(event) === undefined,
    explain(event) {
      const reason = failing(event);
      return reason === undefined
        ? { matched: true, reason: `${dialect} ${description}` }
        : { matched: false, reason };
    },
  };
}

/** A filter that does not compile, with the path of the part at fault below the filter (`.all[1].sql`). */
export class FilterCompileError extends Error {
  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "FilterCompileError";
  }
}

/** Compiles one filter; `path` locates it in the filter tree, for errors. */
export function compileFilter(config: FilterConfig, path = ""): CompiledFilter {
  if ("exact" in config) return attributeFilter("exact", config.exact);
  if ("prefix" in config) return attributeFilter("prefix", config.prefix);
  if ("suffix" in config) return attributeFilter("suffix", config.suffix);
  if ("all" in config) return allOf(config.all.map((f, i) => compileFilter(f, `${path}.all[${i}]`)));
  if ("any" in config) {
    const filters = config.any.map((f, i) => compileFilter(f, `${path}.any[${i}]`));
    return {
      matches: (event) => filters.some((f) => f.matches(event)),
      explain(event) {
        const verdicts = filters.map((f) => f.explain(event));
        const hit = verdicts.find((v) => v.matched);
        return (
          hit ?? { matched: false, reason: `any: none matched (${verdicts.map((v) => v.reason).join("; ")})` }
        );
      },
    };
  }
  if ("not" in config) {
    const inner = compileFilter(config.not, `${path}.not`);
    return {
      matches: (event) => !inner.matches(event),
      explain(event) {
        const verdict = inner.explain(event);
        return { matched: !verdict.matched, reason: `not (${verdict.reason})` };
      },
    };
  }
  let expression: ReturnType<typeof compileCesql>;
  try {
    expression = compileCesql(config.sql);
  } catch (error) {
    throw new FilterCompileError(`${path}.sql`, error);
  }
  return {
    matches: (event) => expression.matches(event),
    explain(event) {
      const { value, errors } = expression.evaluate(event);
      const matched = value === true && errors.length === 0;
      const why =
        errors.length > 0 ? ` with errors: ${errors.map((e) => `${e.kind}: ${e.message}`).join("; ")}` : "";
      return { matched, reason: `sql ${JSON.stringify(config.sql)} gave ${JSON.stringify(value)}${why}` };
    },
  };
}

/** All filters must match; an empty list matches every event. */
export function allOf(filters: readonly CompiledFilter[]): CompiledFilter {
  return {
    matches: (event) => filters.every((f) => f.matches(event)),
    explain(event) {
      for (const filter of filters) {
        const verdict = filter.explain(event);
        if (!verdict.matched) return verdict;
      }
      return {
        matched: true,
        reason: filters.length === 0 ? "no filters: every event" : "every filter matched",
      };
    },
  };
}
