/**
 * The rule for property schemas: `properties`, `patternProperties` and
 * `additionalProperties`, read together as JSON Schema applies them. Named
 * properties are compared name by name; every other name is covered by
 * enumerating which patterns it could match (up to five distinct patterns),
 * since patterns cannot be compared with each other.
 */
import { asUndecidable, breaking, type Finding, undecidable } from "../findings.js";
import { escapePointer, isRecord } from "../json-values.js";
import { closedNames } from "../narrower-facts.js";
import {
  type ObjectShape,
  objectShape,
  patternsExclusive,
  schemasForName,
  schemasForProfile,
} from "../object-shape.js";
import type { KeywordRule, RuleContext } from "../rule-context.js";
import { reportPath, type SchemaNode } from "../schema-node.js";
import { malformed } from "./shared.js";

const MAX_PATTERNS = 5;

function compareProperty(
  ctx: RuleContext,
  own: SchemaNode[],
  target: SchemaNode,
  name: string | undefined,
  wider: ObjectShape,
): Finding[] {
  const findings = ctx.child(own, target, name === undefined ? "/*" : `/${escapePointer(name)}`);
  if (target.schema !== false || target.pointer !== wider.additional?.pointer) return findings;
  const what = name === undefined ? "properties other than those it lists" : `the property "${name}"`;
  return findings.map((finding) =>
    finding.rule === "schema-closed" && finding.path === reportPath(target)
      ? breaking("additional-properties-closed", finding.path, finding.instance, (narrower, wider) => {
          return `${wider} does not allow ${what}, which ${narrower} allows`;
        })
      : finding,
  );
}

function namedProperties(ctx: RuleContext, wider: ObjectShape, narrower: readonly ObjectShape[]): Finding[] {
  const findings: Finding[] = [];
  const closed = closedNames(ctx.narrower.plain);
  const names = new Set([wider, ...narrower].flatMap((shape) => Object.keys(shape.properties)));
  for (const name of names) {
    if (closed !== undefined && !closed.has(name)) continue;
    const targets = schemasForName(wider, name, ctx.env);
    if (targets === undefined) {
      findings.push(unreadablePattern(ctx));
      continue;
    }
    const own = narrower.flatMap((shape) => schemasForName(shape, name, ctx.env) ?? []);
    const found = targets.flatMap((target) => compareProperty(ctx, own, target, name, wider));
    const listed = narrower.some((shape) => Object.hasOwn(shape.properties, name));
    findings.push(...(listed || found.length === 0 ? found : [openModel(ctx, name, found)]));
  }
  return findings;
}

/**
 * A property the wider schema describes and the narrower one leaves to its
 * open content model (any value, or its `additionalProperties`): data with
 * other values there is valid under the narrower schema only.
 */
function openModel(ctx: RuleContext, name: string, found: readonly Finding[]): Finding {
  const make = found.some((finding) => finding.verdict === "breaking") ? breaking : undecidable;
  return make(
    "property-added-to-open-model",
    reportPath(ctx.wider, "properties", name),
    ctx.instance,
    (narrower, wider) =>
      `${wider} constrains the property "${name}", which ${narrower} does not list and allows with other values (its additional properties are open)`,
  );
}

function unreadablePattern(ctx: RuleContext): Finding {
  return undecidable(
    "pattern-properties-changed",
    reportPath(ctx.wider, "patternProperties"),
    ctx.instance,
    (narrower, wider) =>
      `the property patterns of ${wider} and ${narrower} cannot be compared (too many, or not valid patterns)`,
  );
}

function otherProperties(ctx: RuleContext, wider: ObjectShape, narrower: readonly ObjectShape[]): Finding[] {
  if (closedNames(ctx.narrower.plain) !== undefined) return [];
  if (wider.patterns.length === 0 && (wider.additional === undefined || wider.additional.schema === true))
    return [];
  const patterns = [...new Set([wider, ...narrower].flatMap((shape) => shape.patterns))];
  if (patterns.length > MAX_PATTERNS) return [unreadablePattern(ctx)];
  const findings: Finding[] = [];
  for (let mask = 0; mask < 1 << patterns.length; mask++) {
    const profile = new Set(patterns.filter((_, index) => (mask & (1 << index)) !== 0));
    const members = [...profile];
    if (members.some((a, index) => members.slice(index + 1).some((b) => patternsExclusive(a, b)))) continue;
    const own = narrower.flatMap((shape) => schemasForProfile(shape, profile));
    for (const target of schemasForProfile(wider, profile)) {
      const found = compareProperty(ctx, own, target, undefined, wider);
      // A name matching several patterns at once may not exist: such failures are not certain.
      findings.push(...(profile.size >= 2 ? asUndecidable(found) : found));
    }
  }
  return findings;
}

/** One finding per rule, place and data location; a breaking one wins over an undecidable one. */
function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const ordered = [...findings].sort((a, b) =>
    a.verdict === b.verdict ? 0 : a.verdict === "breaking" ? -1 : 1,
  );
  return ordered.filter((finding) => {
    const key = `${finding.rule} ${finding.path} ${finding.instance}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const propertiesRule: KeywordRule = {
  keywords: ["properties", "patternProperties", "additionalProperties"],
  kinds: ["object"],
  check(ctx) {
    for (const keyword of ["properties", "patternProperties"]) {
      if (ctx.schema[keyword] !== undefined && !isRecord(ctx.schema[keyword])) return malformed(ctx, keyword);
    }
    const wider = objectShape(ctx.wider);
    const narrower = ctx.narrower.plain.map(objectShape);
    return dedupe([...namedProperties(ctx, wider, narrower), ...otherProperties(ctx, wider, narrower)]);
  },
};
