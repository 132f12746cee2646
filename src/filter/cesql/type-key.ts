/**
 * The condition on `type` a CESQL expression implies, when it implies one the
 * route index can use: `type = 'x'` (either side), `type LIKE 'x%'` (no other
 * wildcard), or such a term inside an AND-only chain. An expression matches
 * only when it is TRUE without error, so every conjunct of an AND chain was
 * TRUE: the term holds for every event the expression matches. Anything else
 * (OR, NOT, functions, other attributes) yields no key and the route is
 * evaluated for every event, as before.
 */
import type { Node } from "./ast.js";

export interface CesqlTypeKey {
  readonly kind: "exact" | "prefix";
  readonly value: string;
}

/** The code LIKE items use for `%` (see like.ts): a run of any characters. */
const ANY_RUN = -2;

const isTypeAttribute = (node: Node) => node.kind === "attribute" && node.name === "type";
const stringLiteral = (node: Node) =>
  node.kind === "literal" && typeof node.value === "string" ? node.value : undefined;

function termKey(node: Node): CesqlTypeKey | undefined {
  if (node.kind === "like" && !node.negated && isTypeAttribute(node.operand)) {
    const { items } = node.pattern;
    const literal = items.slice(0, -1);
    if (items[items.length - 1] !== ANY_RUN || literal.some((c) => c < 0)) return undefined;
    return { kind: "prefix", value: String.fromCodePoint(...literal) };
  }
  if (node.kind === "chain" && node.level === "comparison" && node.links.length === 1) {
    const [link] = node.links;
    if (link?.operator !== "=") return undefined;
    const value = isTypeAttribute(node.first)
      ? stringLiteral(link.operand)
      : isTypeAttribute(link.operand)
        ? stringLiteral(node.first)
        : undefined;
    return value === undefined ? undefined : { kind: "exact", value };
  }
  return undefined;
}

/** The best key (exact over prefix) the expression implies, or undefined. */
export function cesqlTypeKey(root: Node): CesqlTypeKey | undefined {
  const terms =
    root.kind === "chain" && root.level === "logic" && root.links.every((l) => l.operator === "AND")
      ? [root.first, ...root.links.map((l) => l.operand)]
      : [root];
  const keys = terms.map(termKey).filter((key) => key !== undefined);
  return keys.find((key) => key.kind === "exact") ?? keys[0];
}
