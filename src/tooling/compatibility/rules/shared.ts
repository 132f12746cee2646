/**
 * Small helpers shared by the keyword rules: reporting a malformed keyword,
 * and the child nodes of a keyword.
 */
import { type Finding, undecidable } from "../findings.js";
import { isRecord } from "../json-values.js";
import type { RuleContext } from "../rule-context.js";
import { childNode, reportPath, type SchemaNode } from "../schema-node.js";

export function malformed(ctx: RuleContext, keyword: string): Finding[] {
  return [
    undecidable(
      "invalid-keyword",
      reportPath(ctx.wider, keyword),
      ctx.instance,
      (_, wider) => `${wider} has a malformed "${keyword}", so it cannot be compared`,
    ),
  ];
}

/** The subschemas in a keyword's list (`anyOf`, `prefixItems`), or undefined when it is no list. */
export function listChildren(node: SchemaNode, keyword: string): SchemaNode[] | undefined {
  const list = isRecord(node.schema) ? node.schema[keyword] : undefined;
  if (!Array.isArray(list)) return undefined;
  return list.flatMap((_, index) => childNode(node, [keyword, index]) ?? []);
}

export function formatBound(value: number, exclusive: boolean, lower: boolean): string {
  return `${lower ? (exclusive ? ">" : ">=") : exclusive ? "<" : "<="} ${value}`;
}
