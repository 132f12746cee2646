/**
 * The CESQL syntax tree the parser builds and the evaluator walks. Every node
 * keeps the offset of its first character (`at`) for error messages.
 * Same-precedence binary operators form one flat `chain` node, evaluated by a
 * loop, so `a OR b OR ...` of any length never nests deeply.
 */
import type { CesqlType, CesqlValue } from "./casts.js";
import type { CesqlFunction } from "./functions.js";
import type { LikePattern } from "./like.js";

export type LogicOperator = "AND" | "OR" | "XOR";
export type ComparisonOperator = "=" | "!=" | "<>" | "<" | "<=" | ">" | ">=";
export type AdditiveOperator = "+" | "-";
export type MultiplicativeOperator = "*" | "/" | "%";
export type BinaryOperator = LogicOperator | ComparisonOperator | AdditiveOperator | MultiplicativeOperator;

/** Binary precedence levels, loosest first (spec 3.6). LIKE and IN bind tighter than all of them. */
export type BinaryLevel = "logic" | "comparison" | "additive" | "multiplicative";

export interface LiteralNode {
  readonly kind: "literal";
  readonly value: CesqlValue;
  readonly at: number;
}

export interface AttributeNode {
  readonly kind: "attribute";
  /** Lower case: attribute names are matched case-insensitively. */
  readonly name: string;
  readonly at: number;
}

export interface ExistsNode {
  readonly kind: "exists";
  readonly name: string;
  readonly at: number;
}

export interface UnaryNode {
  readonly kind: "not" | "negate";
  readonly operand: Node;
  readonly at: number;
}

export interface ChainLink {
  readonly operator: BinaryOperator;
  readonly operand: Node;
  /** Offset of the operator. */
  readonly at: number;
}

/** `first op1 operand1 op2 operand2 ...`, all on one level, applied left to right. */
export interface ChainNode {
  readonly kind: "chain";
  readonly level: BinaryLevel;
  readonly first: Node;
  readonly links: readonly ChainLink[];
  readonly at: number;
}

export interface LikeNode {
  readonly kind: "like";
  readonly operand: Node;
  readonly negated: boolean;
  readonly pattern: LikePattern;
  readonly at: number;
}

export interface InNode {
  readonly kind: "in";
  readonly operand: Node;
  readonly negated: boolean;
  readonly set: readonly Node[];
  readonly at: number;
}

export interface CallNode {
  readonly kind: "call";
  /** As written, for messages. */
  readonly name: string;
  readonly args: readonly Node[];
  /** Resolved when parsing; undefined means a MissingFunctionError at evaluation (spec 3.5). */
  readonly fn: CesqlFunction | undefined;
  readonly at: number;
}

export type Node =
  | LiteralNode
  | AttributeNode
  | ExistsNode
  | UnaryNode
  | ChainNode
  | LikeNode
  | InNode
  | CallNode;

/** The type every operator of a level returns: its zero value is what an error yields. */
export const LEVEL_TYPE: Readonly<Record<BinaryLevel, CesqlType>> = Object.freeze({
  logic: "Boolean",
  comparison: "Boolean",
  additive: "Integer",
  multiplicative: "Integer",
});
