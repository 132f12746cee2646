/**
 * Validates one concrete value against a schema node, three-valued: the
 * checker uses it for values it can list (`enum`, `const`), for property names
 * against patterns, and for disjointness. Handles references (with a guard
 * against loops that consume no data), combinators and conditionals; the
 * other keywords are in validate-keywords.ts.
 */
import { type Env, spend } from "./env.js";
import { hasAssertionsBesideRef, nodeKey } from "./expand.js";
import { escapePointer, isRecord } from "./json-values.js";
import { isIgnored } from "./keywords.js";
import { resolveRef } from "./resolve-ref.js";
import { childNode, type SchemaNode } from "./schema-node.js";
import { VALUE_KEYWORDS, type ValueContext } from "./validate-keywords.js";
import { allOfVerdicts, invalid, unknown, VALID, type Verdict } from "./verdict.js";

export interface ValidateOptions {
  /** Keywords of the narrower schema known to hold for the value at the data root. */
  readonly holdsAtRoot?: (node: SchemaNode, keyword: string) => boolean;
}

interface State {
  readonly env: Env;
  readonly options: ValidateOptions;
  readonly instance: string;
  readonly atRoot: boolean;
  /** Nodes being applied to this same value: meeting one again is a loop. */
  readonly active: Set<string>;
}

function children(node: SchemaNode, keyword: string): SchemaNode[] {
  const list = isRecord(node.schema) ? node.schema[keyword] : undefined;
  return Array.isArray(list) ? list.flatMap((_, index) => childNode(node, [keyword, index]) ?? []) : [];
}

function anyOf(value: unknown, node: SchemaNode, state: State): Verdict {
  const verdicts = children(node, "anyOf").map((branch) => apply(value, branch, state));
  if (verdicts.some((verdict) => verdict.status === "valid")) return VALID;
  const open = verdicts.find((verdict) => verdict.status === "unknown");
  return open === undefined ? invalid(node, "anyOf", state.instance) : unknown(node, "anyOf", state.instance);
}

function oneOf(value: unknown, node: SchemaNode, state: State): Verdict {
  const statuses = children(node, "oneOf").map((branch) => apply(value, branch, state).status);
  const valid = statuses.filter((status) => status === "valid").length;
  const open = statuses.filter((status) => status === "unknown").length;
  if (valid === 1 && open === 0) return VALID;
  if (valid > 1 || valid + open === 0) return invalid(node, "oneOf", state.instance);
  return unknown(node, "oneOf", state.instance);
}

function not(value: unknown, node: SchemaNode, state: State): Verdict {
  const inner = childNode(node, ["not"]);
  if (inner === undefined) return unknown(node, "not", state.instance);
  const status = apply(value, inner, state).status;
  if (status === "unknown") return unknown(node, "not", state.instance);
  return status === "valid" ? invalid(node, "not", state.instance) : VALID;
}

function conditional(value: unknown, node: SchemaNode, state: State): Verdict {
  const condition = childNode(node, ["if"]);
  if (condition === undefined) return unknown(node, "if", state.instance);
  const branch = (keyword: string): Verdict => {
    const child = childNode(node, [keyword]);
    return child === undefined ? VALID : apply(value, child, state);
  };
  const status = apply(value, condition, state).status;
  if (status === "valid") return branch("then");
  if (status === "invalid") return branch("else");
  const [then, otherwise] = [branch("then"), branch("else")];
  if (then.status === "valid" && otherwise.status === "valid") return VALID;
  if (then.status === "invalid" && otherwise.status === "invalid") return then;
  return unknown(node, "if", state.instance);
}

function keywordVerdict(value: unknown, node: SchemaNode, keyword: string, state: State): Verdict {
  const schema = node.schema as Readonly<Record<string, unknown>>;
  switch (keyword) {
    case "allOf":
      return allOfVerdicts(children(node, "allOf").map((member) => apply(value, member, state)));
    case "anyOf":
      return anyOf(value, node, state);
    case "oneOf":
      return oneOf(value, node, state);
    case "not":
      return not(value, node, state);
    case "if":
      return conditional(value, node, state);
    case "then":
    case "else":
      return VALID;
  }
  const check = VALUE_KEYWORDS.get(keyword);
  const context: ValueContext = {
    env: state.env,
    instance: state.instance,
    holds: (at, name) => state.atRoot && state.options.holdsAtRoot?.(at, name) === true,
    sub: (child, at, segments, key) => {
      const target = childNode(at, segments);
      if (target === undefined) return unknown(at, String(segments[0]), state.instance);
      if (key === undefined) return apply(child, target, state);
      return apply(child, target, {
        ...state,
        instance: `${state.instance}/${escapePointer(key)}`,
        atRoot: false,
        active: new Set(),
      });
    },
  };
  if (check !== undefined) return check(value, node, schema, context);
  return context.holds(node, keyword) ? VALID : unknown(node, keyword, state.instance);
}

function siblings(value: unknown, node: SchemaNode, state: State): Verdict {
  const schema = node.schema as Readonly<Record<string, unknown>>;
  return allOfVerdicts(
    (function* () {
      for (const keyword of Object.keys(schema)) {
        if (keyword !== "$ref" && !isIgnored(keyword)) yield keywordVerdict(value, node, keyword, state);
      }
    })(),
  );
}

function apply(value: unknown, node: SchemaNode, state: State): Verdict {
  const schema = node.schema;
  if (schema === true) return VALID;
  if (schema === false) return invalid(node, "", state.instance);
  if (!spend(state.env)) return unknown(node, "", state.instance);
  const key = nodeKey(state.env, node);
  if (state.active.has(key)) return unknown(node, "$ref", state.instance);
  state.active.add(key);
  try {
    if (typeof schema.$ref !== "string") return siblings(value, node, state);
    const target = resolveRef(node, schema.$ref, state.env);
    const viaRef = target === undefined ? unknown(node, "$ref", state.instance) : apply(value, target, state);
    if (viaRef.status !== "valid") return viaRef;
    const rest = siblings(value, node, state);
    const ambiguous = node.doc.dialect.refSiblings === "ambiguous" && hasAssertionsBesideRef(schema);
    return ambiguous && rest.status === "invalid" ? { ...rest, status: "unknown" } : rest;
  } finally {
    state.active.delete(key);
  }
}

/** Whether a value is valid under a node: valid, invalid, or unknown, with the deciding keyword. */
export function validateValue(
  value: unknown,
  node: SchemaNode,
  env: Env,
  options: ValidateOptions = {},
): Verdict {
  return apply(value, node, { env, options, instance: "", atRoot: true, active: new Set() });
}
