/**
 * The contract between the comparison driver (subschema.ts) and the keyword
 * rules (rules/): what a rule is given, and what it declares.
 */
import type { Env } from "./env.js";
import type { Disjunct } from "./expand.js";
import type { Finding } from "./findings.js";
import type { Kind, KindSet } from "./json-values.js";
import type { SchemaNode } from "./schema-node.js";

/** The narrower side of a comparison: nodes still to expand, or one expanded disjunct. */
export type Narrower = readonly SchemaNode[] | Disjunct;

export interface RuleContext {
  readonly env: Env;
  /** The narrower side: every instance satisfies all of `narrower.plain`. */
  readonly narrower: Disjunct;
  /** One plain node of the wider side, whose keyword group the rule checks. */
  readonly wider: SchemaNode;
  readonly schema: Readonly<Record<string, unknown>>;
  /** Kinds of narrower instances still to compare (after the wider `type`). */
  readonly kinds: KindSet;
  /** The data location, as a JSON Pointer with `*` for any index or name. */
  readonly instance: string;
  /** Compares at the same data location; `kinds` restricts the narrower instances. */
  same(narrower: Narrower, wider: SchemaNode, kinds?: KindSet): Finding[];
  /** Compares at a location inside this one (`suffix` such as "/name" or "/*"). */
  child(narrower: Narrower, wider: SchemaNode, suffix: string): Finding[];
  /** Whether no instance of the narrower side (of those kinds) is valid under `other`. */
  disjoint(narrower: Narrower, other: SchemaNode, kinds: KindSet): boolean;
}

export interface KeywordRule {
  /** The keywords read together (`properties`, `patternProperties`, `additionalProperties`). */
  readonly keywords: readonly string[];
  /** The kinds of instance the keywords constrain; others pass them untouched. */
  readonly kinds: readonly Kind[];
  /**
   * Whether the same keywords in a narrower node prove the wider ones. False for
   * `contains`: Ajv's result for an empty array depends on keywords around it.
   */
  readonly sameProves?: boolean;
  readonly check: (ctx: RuleContext) => Finding[];
}

export function isDisjunct(narrower: Narrower): narrower is Disjunct {
  return !Array.isArray(narrower);
}
