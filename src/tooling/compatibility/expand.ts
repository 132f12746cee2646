/**
 * Flattens schemas into what the rules compare. The narrower side becomes a
 * disjunction of conjunctions: `allOf` and `$ref` add conjuncts, `anyOf`,
 * `oneOf` (read as `anyOf`, a superset) and `if`/`then`/`else` (read as
 * `then` or `else`) branch. Dropping a narrower keyword only enlarges the set
 * compared, so it stays sound. The wider side becomes a plain conjunction
 * (`allOf`, `$ref`); its other combinators are rules of their own.
 */
import { type Env, schemaId } from "./env.js";
import { type Finding, undecidable } from "./findings.js";
import { isRecord } from "./json-values.js";
import { isIgnored } from "./keywords.js";
import { resolveRef } from "./resolve-ref.js";
import { childNode, reportPath, type SchemaNode } from "./schema-node.js";

/** One way an instance can satisfy the narrower schema. */
export interface Disjunct {
  /** Nodes every keyword of which holds for the instance. */
  readonly plain: readonly SchemaNode[];
  /** Nodes that hold as a whole: the plain ones, and draft-07 `$ref` nodes whose siblings may be ignored. */
  readonly whole: readonly SchemaNode[];
}

export interface NarrowerExpansion {
  readonly disjuncts: readonly Disjunct[];
  readonly findings: readonly Finding[];
}

export const MAX_DISJUNCTS = 64;

type Work = SchemaNode | { readonly choice: readonly SchemaNode[] };

interface Partial {
  readonly plain: SchemaNode[];
  readonly whole: SchemaNode[];
  readonly pending: Work[];
  readonly seen: Set<string>;
}

/** A stable key for a node: the same object read in another document or base is another node. */
export function nodeKey(env: Env, node: SchemaNode): string {
  return `${schemaId(env, node.schema)}@${schemaId(env, node.doc)}@${node.base ?? ""}`;
}

function children(node: SchemaNode, keyword: string): SchemaNode[] {
  const value = isRecord(node.schema) ? node.schema[keyword] : undefined;
  if (!Array.isArray(value)) return [];
  return value.flatMap((_, index) => childNode(node, [keyword, index]) ?? []);
}

/** The branches of an `if`: `then` or `else`, a missing one accepting everything. */
function conditionalBranches(node: SchemaNode): SchemaNode[] {
  const always: SchemaNode = { ...node, schema: true };
  return [childNode(node, ["then"]) ?? always, childNode(node, ["else"]) ?? always];
}

export function hasAssertionsBesideRef(schema: Readonly<Record<string, unknown>>): boolean {
  return Object.keys(schema).some((keyword) => keyword !== "$ref" && !isIgnored(keyword));
}

/** Adds one node to a partial conjunction; false when the conjunction became empty. */
function addNode(part: Partial, node: SchemaNode, env: Env, instance: string, findings: Finding[]): boolean {
  const schema = node.schema;
  if (schema === true) return true;
  if (schema === false) return false;
  const key = nodeKey(env, node);
  if (part.seen.has(key)) return true;
  part.seen.add(key);
  part.whole.push(node);
  if (typeof schema.$ref === "string") {
    const target = resolveRef(node, schema.$ref, env);
    if (target === undefined) {
      findings.push(unresolved(node, schema.$ref, instance));
    } else {
      part.pending.push(target);
    }
    if (node.doc.dialect.refSiblings === "ambiguous" && hasAssertionsBesideRef(schema)) return true;
  }
  part.plain.push(node);
  part.pending.push(...children(node, "allOf"));
  for (const keyword of ["anyOf", "oneOf"]) {
    if (Array.isArray(schema[keyword])) part.pending.push({ choice: children(node, keyword) });
  }
  if (schema.if !== undefined) part.pending.push({ choice: conditionalBranches(node) });
  return true;
}

export function unresolved(node: SchemaNode, ref: string, instance: string): Finding {
  return undecidable(
    "ref-unresolved",
    reportPath(node, "$ref"),
    instance,
    () => `the reference ${JSON.stringify(ref)} cannot be resolved, so the schemas cannot be compared there`,
  );
}

export function tooComplex(path: string, instance: string): Finding {
  return undecidable("too-complex", path, instance, () => "the schemas are too complex to compare here");
}

/** The narrower side as a disjunction of conjunctions (empty when it accepts nothing). */
export function expandNarrower(nodes: readonly SchemaNode[], env: Env, instance: string): NarrowerExpansion {
  const done: Disjunct[] = [];
  const findings: Finding[] = [];
  const stack: Partial[] = [{ plain: [], whole: [], pending: [...nodes], seen: new Set() }];
  while (stack.length > 0) {
    const part = stack.pop() as Partial;
    let state: "open" | "empty" | "forked" = "open";
    while (state === "open" && part.pending.length > 0) {
      const work = part.pending.pop() as Work;
      if ("choice" in work) {
        if (done.length + stack.length + work.choice.length > MAX_DISJUNCTS) {
          const path = nodes[0] === undefined ? "" : reportPath(nodes[0]);
          return { disjuncts: [], findings: [...findings, tooComplex(path, instance)] };
        }
        for (const option of work.choice) {
          stack.push({
            plain: [...part.plain],
            whole: [...part.whole],
            pending: [...part.pending, option],
            seen: new Set(part.seen),
          });
        }
        state = "forked";
      } else if (!addNode(part, work, env, instance, findings)) {
        state = "empty";
      }
    }
    if (state === "open") done.push({ plain: part.plain, whole: part.whole });
  }
  return { disjuncts: done, findings };
}

/** The wider side as a plain conjunction: `allOf` members and `$ref` targets next to their node. */
export function expandWider(
  node: SchemaNode,
  env: Env,
  instance: string,
): { nodes: SchemaNode[]; findings: Finding[] } {
  const nodes: SchemaNode[] = [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const pending = [node];
  while (pending.length > 0) {
    const current = pending.pop() as SchemaNode;
    const schema = current.schema;
    if (schema === true) continue;
    const key = nodeKey(env, current);
    if (seen.has(key)) continue;
    seen.add(key);
    nodes.push(current);
    if (schema === false) continue;
    if (typeof schema.$ref === "string") {
      const target = resolveRef(current, schema.$ref, env);
      if (target === undefined) findings.push(unresolved(current, schema.$ref, instance));
      else pending.push(target);
    }
    pending.push(...children(current, "allOf"));
  }
  return { nodes, findings };
}
