/**
 * The three-valued outcome of validating one concrete value: valid, invalid,
 * or unknown (a keyword the checker cannot evaluate, such as `format`). An
 * invalid or unknown verdict names the keyword and the data location.
 */
import type { SchemaNode } from "./schema-node.js";

export type Verdict =
  | { readonly status: "valid" }
  | {
      readonly status: "invalid" | "unknown";
      readonly node: SchemaNode;
      /** The keyword that decided ("" for a `false` schema). */
      readonly keyword: string;
      readonly instance: string;
    };

export const VALID: Verdict = { status: "valid" };

export function invalid(node: SchemaNode, keyword: string, instance: string): Verdict {
  return { status: "invalid", node, keyword, instance };
}

export function unknown(node: SchemaNode, keyword: string, instance: string): Verdict {
  return { status: "unknown", node, keyword, instance };
}

/** Valid or invalid from a boolean; unknown from undefined. */
export function decide(
  outcome: boolean | undefined,
  node: SchemaNode,
  keyword: string,
  instance: string,
): Verdict {
  if (outcome === undefined) return unknown(node, keyword, instance);
  return outcome ? VALID : invalid(node, keyword, instance);
}

/** All must hold: the first invalid verdict wins, else the first unknown, else valid. */
export function allOfVerdicts(verdicts: Iterable<Verdict>): Verdict {
  let firstUnknown: Verdict | undefined;
  for (const verdict of verdicts) {
    if (verdict.status === "invalid") return verdict;
    if (verdict.status === "unknown") firstUnknown ??= verdict;
  }
  return firstUnknown ?? VALID;
}
