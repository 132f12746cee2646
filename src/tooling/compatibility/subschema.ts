/**
 * The core question: is every instance valid under the narrower schema also
 * valid under the wider one? The narrower side is expanded into disjuncts;
 * each is compared with every plain node of the wider side, keyword by
 * keyword. Recursive schemas are handled by induction on the data: a pair met
 * again deeper in the data is assumed to hold; met again at the same place,
 * it is a loop that consumes no data, and undecidable.
 */
import { compareKeywords } from "./compare-keywords.js";
import { provablyDisjoint } from "./disjoint.js";
import { createEnv, type Env, type Resolver, spend } from "./env.js";
import { type Disjunct, expandNarrower, expandWider, nodeKey, tooComplex } from "./expand.js";
import { asUndecidable, breaking, type Finding, undecidable } from "./findings.js";
import { ALL_KINDS, describeKinds, intersectKinds, type KindSet } from "./json-values.js";
import { compareListed } from "./listed-values.js";
import { listedValues, narrowerKinds } from "./narrower-facts.js";
import { isDisjunct, type Narrower, type RuleContext } from "./rule-context.js";
import { sameSchema } from "./same-schema.js";
import { createDocument, reportPath, rootNode, type Schema, type SchemaNode } from "./schema-node.js";

/** Deeper data than this is not compared. */
const MAX_DEPTH = 64;

interface Place {
  readonly instance: string;
  readonly depth: number;
}

function context(env: Env, narrower: Disjunct, wider: SchemaNode, kinds: KindSet, place: Place): RuleContext {
  return {
    env,
    narrower,
    wider,
    schema: wider.schema as Readonly<Record<string, unknown>>,
    kinds,
    instance: place.instance,
    same: (own, target, only) => compare(env, own, target, only ?? ALL_KINDS, place),
    child: (own, target, suffix) =>
      compare(env, own, target, ALL_KINDS, { instance: place.instance + suffix, depth: place.depth + 1 }),
    disjoint: (own, other, only) => provablyDisjoint(env, own, other, only),
  };
}

function compareNode(
  env: Env,
  narrower: Disjunct,
  wider: SchemaNode,
  kinds: KindSet,
  place: Place,
): Finding[] {
  if (wider.schema === true) return [];
  if (wider.schema === false) {
    return [
      breaking("schema-closed", reportPath(wider), place.instance, (own, other) => {
        return `${other} accepts nothing here, where ${own} accepts ${describeKinds(kinds)}`;
      }),
    ];
  }
  return compareKeywords(context(env, narrower, wider, kinds, place));
}

function compareDisjunct(
  env: Env,
  narrower: Disjunct,
  wider: SchemaNode,
  kinds: KindSet,
  place: Place,
): Finding[] {
  const own = intersectKinds(kinds, narrowerKinds(narrower.plain));
  if (own.size === 0) return [];
  if (narrower.whole.some((node) => sameSchema(node, wider, env))) return [];
  const key = [
    narrower.plain
      .map((node) => nodeKey(env, node))
      .sort()
      .join(","),
    nodeKey(env, wider),
    [...own].sort().join(","),
  ].join("|");
  const started = env.hypotheses.get(key);
  if (started !== undefined) {
    if (started < place.depth) return [];
    return [
      undecidable("ref-cycle", reportPath(wider), place.instance, () => {
        return "the schemas refer back to themselves without descending into the data";
      }),
    ];
  }
  env.hypotheses.set(key, place.depth);
  try {
    const values = listedValues(narrower.plain);
    if (values !== undefined) return compareListed(env, narrower, values, wider, own, place.instance);
    const { nodes, findings } = expandWider(wider, env, place.instance);
    for (const node of nodes) findings.push(...compareNode(env, narrower, node, own, place));
    return findings;
  } finally {
    env.hypotheses.delete(key);
  }
}

function compare(env: Env, narrower: Narrower, wider: SchemaNode, kinds: KindSet, place: Place): Finding[] {
  if (!spend(env) || place.depth > MAX_DEPTH) return [tooComplex(reportPath(wider), place.instance)];
  if (isDisjunct(narrower)) return compareDisjunct(env, narrower, wider, kinds, place);
  if (narrower.some((node) => sameSchema(node, wider, env))) return [];
  const expansion = expandNarrower(narrower, env, place.instance);
  const found = expansion.disjuncts.flatMap((disjunct) =>
    compareDisjunct(env, disjunct, wider, kinds, place),
  );
  // With a narrower reference unresolved, the narrower side read here is larger than the real one:
  // what fails may not be a real break.
  return [...expansion.findings, ...(expansion.findings.length > 0 ? asUndecidable(found) : found)];
}

/** One finding per verdict, rule and schema place, counting the other data locations it was met at. */
function dedupe(findings: readonly Finding[]): Finding[] {
  const first = new Map<string, Finding>();
  for (const finding of findings) {
    const key = `${finding.verdict} ${finding.rule} ${finding.path}`;
    const seen = first.get(key);
    if (seen === undefined) first.set(key, finding);
    else if (seen.instance !== finding.instance)
      first.set(key, { ...seen, elsewhere: (seen.elsewhere ?? 0) + 1 });
  }
  return [...first.values()];
}

/**
 * Why not every instance valid under `narrower` is valid under `wider`: an
 * empty list means it is (proven); otherwise breaking and undecidable findings.
 */
export function compareSchemas(narrower: Schema, wider: Schema, resolve?: Resolver): Finding[] {
  const env = createEnv(resolve);
  const narrowerRoot = rootNode(createDocument(narrower, { top: true }));
  const widerRoot = rootNode(createDocument(wider, { top: true }));
  return dedupe(compare(env, [narrowerRoot], widerRoot, ALL_KINDS, { instance: "", depth: 0 }));
}
