/**
 * The check that keeps a mapping from silently yielding nothing: every path an
 * expression reads from its input must start at one of the names the input has
 * (`body`, `headers`, `query` for a source). An unquoted `com.example.order`
 * is a path into a `com` that does not exist; it is refused with a hint to
 * quote it. Only paths read from the input's top level are checked: the steps
 * after the first, predicates and function bodies are relative to something else.
 * An input whose names are not all known in advance (an event's extensions)
 * passes a RootRule instead of a set of names.
 */
import type jsonata from "jsonata";

/** The parts of JSONata's syntax tree this check reads (its typings list fewer node types than it makes). */
interface Node {
  readonly type: string;
  readonly value?: unknown;
  readonly position?: number;
  readonly steps?: readonly Node[];
  readonly expressions?: readonly Node[];
  readonly arguments?: readonly Node[];
  readonly expression?: Node;
  readonly lhs?: Node | readonly (readonly [Node, Node])[];
  readonly rhs?: Node;
  readonly condition?: Node;
  readonly then?: Node;
  readonly else?: Node;
}

export interface UnrootedPath {
  readonly name: string;
  readonly position: number | undefined;
}

/**
 * Whether a top-level path may start at `name`; `readsField` says whether its
 * next step looks up a member of what `name` gives (`a.b`, not `a.$f($)`).
 */
export type RootRule = (name: string, readsField: boolean) => boolean;

/** The first top-level path whose first step is not one of `roots` (or that `roots` refuses), if any. */
export function findUnrootedPath(
  ast: jsonata.ExprNode,
  roots: ReadonlySet<string> | RootRule,
): UnrootedPath | undefined {
  const rule: RootRule = typeof roots === "function" ? roots : (name) => roots.has(name);
  return visit(ast as unknown as Node, rule);
}

const FIELD_STEPS = new Set(["name", "wildcard", "descendant"]);

function visit(node: Node | undefined, roots: RootRule, readsField = false): UnrootedPath | undefined {
  if (node === undefined || node === null) return undefined;
  switch (node.type) {
    case "name":
      return roots(String(node.value), readsField)
        ? undefined
        : { name: String(node.value), position: node.position };
    case "wildcard":
    case "descendant":
      return { name: String(node.value), position: node.position };
    case "path": {
      const first = node.steps?.[0];
      if (first === undefined) return undefined;
      const second = node.steps?.[1];
      if (first.type === "name" || first.type === "wildcard" || first.type === "descendant")
        return visit(first, roots, second !== undefined && FIELD_STEPS.has(second.type));
      // A path starting at a variable ($, $$, a bound name) or a computed value.
      return first.type === "variable" ? undefined : visit(first, roots);
    }
    case "binary":
    case "apply":
      return visit(node.lhs as Node | undefined, roots) ?? visit(node.rhs as Node, roots);
    case "bind":
      return visit(node.rhs as Node, roots);
    case "condition":
      return visit(node.condition, roots) ?? visit(node.then, roots) ?? visit(node.else, roots);
    case "block":
      return firstOf(node.expressions, roots);
    case "function":
    case "partial":
      return firstOf(node.arguments, roots);
    case "unary": {
      if (node.value === "-") return visit(node.expression, roots);
      if (node.value === "[") return firstOf(node.expressions, roots);
      if (node.value === "{") {
        for (const [key, value] of (node.lhs ?? []) as readonly (readonly [Node, Node])[]) {
          const found = visit(key, roots) ?? visit(value, roots);
          if (found !== undefined) return found;
        }
      }
      return undefined;
    }
    default:
      // Literals, variables, regexes, lambdas (their bodies read their parameters).
      return undefined;
  }
}

function firstOf(nodes: readonly Node[] | undefined, roots: RootRule): UnrootedPath | undefined {
  for (const node of nodes ?? []) {
    const found = visit(node, roots);
    if (found !== undefined) return found;
  }
  return undefined;
}
