/**
 * What the checker finds: one record per keyword of the wider schema that the
 * narrower one does not guarantee. Rule ids are named for a change from the
 * narrower schema to the wider one (old to new under BACKWARD); FORWARD checks
 * run the other way round and report the mirrored id (`required-added` becomes
 * `required-removed`).
 */

/** Rule id as reported for BACKWARD, mapped to its id for FORWARD. */
export const RULES = {
  "type-narrowed": "type-widened",
  "enum-value-removed": "enum-value-added",
  "enum-added": "enum-removed",
  "const-changed": "const-changed",
  "const-added": "const-removed",
  "value-rejected": "value-added",
  "minimum-raised": "minimum-lowered",
  "maximum-lowered": "maximum-raised",
  "multiple-of-changed": "multiple-of-changed",
  "min-length-raised": "min-length-lowered",
  "max-length-lowered": "max-length-raised",
  "pattern-added": "pattern-removed",
  "pattern-changed": "pattern-changed",
  "format-added": "format-removed",
  "format-changed": "format-changed",
  "min-items-raised": "min-items-lowered",
  "max-items-lowered": "max-items-raised",
  "unique-items-added": "unique-items-removed",
  "additional-items-closed": "additional-items-opened",
  "contains-changed": "contains-changed",
  "required-added": "required-removed",
  "min-properties-raised": "min-properties-lowered",
  "max-properties-lowered": "max-properties-raised",
  "additional-properties-closed": "additional-properties-opened",
  "property-added-to-open-model": "property-removed-from-open-model",
  "pattern-properties-changed": "pattern-properties-changed",
  "property-names-changed": "property-names-changed",
  "dependent-required-added": "dependent-required-removed",
  "dependent-schemas-changed": "dependent-schemas-changed",
  "schema-closed": "schema-opened",
  "any-of-narrowed": "any-of-widened",
  "any-of-uncovered": "any-of-uncovered",
  "one-of-overlap": "one-of-overlap",
  "not-changed": "not-changed",
  "conditional-changed": "conditional-changed",
  "unevaluated-changed": "unevaluated-changed",
  "unknown-keyword": "unknown-keyword",
  "invalid-keyword": "invalid-keyword",
  "value-undecided": "value-undecided",
  "ref-unresolved": "ref-unresolved",
  "ref-cycle": "ref-cycle",
  "too-complex": "too-complex",
} as const;

export type RuleId = keyof typeof RULES;

/** Builds a message from the names of the narrower and the wider schema ("version 2", "the new schema"). */
export type Describe = (narrower: string, wider: string) => string;

export interface Finding {
  readonly verdict: "breaking" | "undecidable";
  readonly rule: RuleId;
  /** JSON Pointer of the wider schema's keyword that is not guaranteed. */
  readonly path: string;
  /** Where in the data, as a JSON Pointer with `*` for any index or name. */
  readonly instance: string;
  /** How many other data locations the same finding was met at (one schema place reached several ways). */
  readonly elsewhere?: number;
  readonly describe: Describe;
}

export function breaking(rule: RuleId, path: string, instance: string, describe: Describe): Finding {
  return { verdict: "breaking", rule, path, instance, describe };
}

export function undecidable(rule: RuleId, path: string, instance: string, describe: Describe): Finding {
  return { verdict: "undecidable", rule, path, instance, describe };
}

/** The same findings, all marked undecidable (used where a failure may not be real). */
export function asUndecidable(findings: readonly Finding[]): Finding[] {
  return findings.map((finding) => ({ ...finding, verdict: "undecidable" }));
}

export interface RenderedFinding {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

/** A finding as reported: the rule id for the direction, and a sentence naming both schemas. */
export function renderFinding(
  finding: Finding,
  mirrored: boolean,
  names: { readonly narrower: string; readonly wider: string },
): RenderedFinding {
  const sentence = finding.describe(names.narrower, names.wider);
  const more = finding.elsewhere ? `, and ${finding.elsewhere} more` : "";
  const where = finding.instance === "" && !more ? "" : ` (data at ${finding.instance || "/"}${more})`;
  return {
    path: finding.path,
    rule: mirrored ? RULES[finding.rule] : finding.rule,
    message: `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}${where}.`,
  };
}
