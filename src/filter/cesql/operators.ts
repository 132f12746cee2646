/**
 * The operator table of spec 3.6: which tokens are infix operators, their
 * precedence (higher binds tighter) and, for binary ones, their level.
 * Unary NOT and `-` bind tighter than all of these; EXISTS takes a name.
 */
import type { BinaryLevel, BinaryOperator } from "./ast.js";

export type Infix =
  | {
      readonly kind: "binary";
      readonly operator: BinaryOperator;
      readonly level: BinaryLevel;
      readonly precedence: number;
    }
  | { readonly kind: "like"; readonly negated: boolean; readonly precedence: number }
  | { readonly kind: "in"; readonly negated: boolean; readonly precedence: number };

const PRECEDENCE: Readonly<Record<BinaryLevel | "in" | "like", number>> = Object.freeze({
  logic: 1,
  comparison: 2,
  additive: 3,
  multiplicative: 4,
  in: 5,
  like: 6,
});

const LEVEL_OF: Readonly<Record<string, BinaryLevel>> = Object.freeze({
  AND: "logic",
  OR: "logic",
  XOR: "logic",
  "=": "comparison",
  "!=": "comparison",
  "<>": "comparison",
  "<": "comparison",
  "<=": "comparison",
  ">": "comparison",
  ">=": "comparison",
  "+": "additive",
  "-": "additive",
  "*": "multiplicative",
  "/": "multiplicative",
  "%": "multiplicative",
});

/** The binary operator a token symbol stands for, if any. */
export function binaryOperator(symbol: string): Infix | undefined {
  const level = Object.hasOwn(LEVEL_OF, symbol) ? LEVEL_OF[symbol] : undefined;
  if (level === undefined) return undefined;
  return { kind: "binary", operator: symbol as BinaryOperator, level, precedence: PRECEDENCE[level] };
}

/** `[NOT] LIKE 'pattern'` and `[NOT] IN (...)`, which follow their operand. */
export const postfix = (keyword: "LIKE" | "IN", negated: boolean): Infix =>
  keyword === "LIKE"
    ? { kind: "like", negated, precedence: PRECEDENCE.like }
    : { kind: "in", negated, precedence: PRECEDENCE.in };
