/**
 * The CESQL evaluator: walks a parsed tree against one event and returns a
 * value plus the errors collected on the way (spec 3.3: every operator is
 * total, so evaluation never stops on an error). The rules, in order:
 *
 * 1. A node whose own work fails returns the value the spec defines for it:
 *    `x / 0` and `x % 0` give 0, ABS(-2147483648) gives 2147483647, LEFT and
 *    RIGHT give `x`, SUBSTRING gives "", a failed cast gives the zero value.
 * 2. A missing attribute reports a MissingAttributeError and reads as FALSE
 *    (the spec's choice when the enclosing type is unknown, i.e. at the root).
 * 3. An operator or function whose operand (or the implicit cast of an
 *    operand) produced an error returns the zero value of its own return
 *    type and evaluates nothing further. So `1 / missing` is 0 without a
 *    MathError and `TRUE AND (1 != 1 / 0)` is FALSE (spec 3.2, TCK).
 * 4. An unknown function returns FALSE with a MissingFunctionError.
 */
import { type CloudEvent, getAttribute } from "../../event/cloud-event.js";
import {
  type AdditiveOperator,
  type ChainLink,
  type ChainNode,
  type ComparisonOperator,
  LEVEL_TYPE,
  type LogicOperator,
  type MultiplicativeOperator,
  type Node,
} from "./ast.js";
import {
  type CesqlValue,
  castTo,
  castToBoolean,
  castToInteger,
  castToString,
  isInt32,
  typeOf,
  zeroValue,
} from "./casts.js";
import { type CesqlError, cesqlError } from "./errors.js";
import { describeArities } from "./functions.js";
import { likeMatches } from "./like.js";

interface Scope {
  readonly event: CloudEvent;
  /** Grows as errors occur; comparing its length before and after an operand tells whether it failed. */
  readonly errors: CesqlError[];
}

export function evaluateTree(root: Node, event: CloudEvent): { value: CesqlValue; errors: CesqlError[] } {
  const errors: CesqlError[] = [];
  const value = evaluate(root, { event, errors });
  return { value, errors };
}

function evaluate(node: Node, scope: Scope): CesqlValue {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "attribute": {
      const value = readAttribute(scope.event, node.name);
      if (value !== undefined) return value;
      scope.errors.push(cesqlError("missingAttribute", `the event has no attribute "${node.name}"`));
      return false;
    }
    case "exists":
      return readAttribute(scope.event, node.name) !== undefined;
    case "not": {
      const mark = scope.errors.length;
      const operand = castToBoolean(evaluate(node.operand, scope), scope.errors);
      return scope.errors.length > mark ? false : !operand;
    }
    case "negate": {
      const mark = scope.errors.length;
      const operand = castToInteger(evaluate(node.operand, scope), scope.errors);
      // -(-2147483648) wraps to itself, as int32 negation does.
      return scope.errors.length > mark ? 0 : -operand | 0;
    }
    case "chain":
      return evaluateChain(node, scope);
    case "like": {
      const mark = scope.errors.length;
      const operand = evaluate(node.operand, scope);
      if (scope.errors.length > mark) return false;
      return likeMatches(node.pattern, castToString(operand)) !== node.negated;
    }
    case "in": {
      // The left operand's type is the target for every element (spec 3.7).
      // Like `x = y1 OR x = y2 ...`, elements are tried left to right and the
      // first match ends the search (as in sdk-go).
      const mark = scope.errors.length;
      const operand = evaluate(node.operand, scope);
      if (scope.errors.length > mark) return false;
      for (const element of node.set) {
        const value = castTo(evaluate(element, scope), typeOf(operand), scope.errors);
        if (scope.errors.length > mark) return false;
        if (value === operand) return !node.negated;
      }
      return node.negated;
    }
    case "call": {
      const { fn } = node;
      if (fn === undefined) {
        const arities = describeArities(node.name);
        const detail = arities === "" ? "" : `: it takes ${arities} argument(s), not ${node.args.length}`;
        scope.errors.push(cesqlError("missingFunction", `no function ${node.name}${detail}`));
        return false;
      }
      const mark = scope.errors.length;
      const args: CesqlValue[] = [];
      for (const [i, arg] of node.args.entries()) {
        const type = fn.params[i] ?? fn.rest ?? "String";
        args.push(castTo(evaluate(arg, scope), type, scope.errors));
        if (scope.errors.length > mark) return zeroValue(fn.returns);
      }
      return fn.call(args, scope.errors);
    }
  }
}

/** Folds a chain left to right; the first error makes the whole chain its level's zero value. */
function evaluateChain(node: ChainNode, scope: Scope): CesqlValue {
  const mark = scope.errors.length;
  const zero = zeroValue(LEVEL_TYPE[node.level]);
  let value = evaluate(node.first, scope);
  for (const link of node.links) {
    if (scope.errors.length > mark) return zero;
    value = applyLink(value, link, scope);
  }
  return scope.errors.length > mark ? zero : value;
}

function applyLink(left: CesqlValue, link: ChainLink, scope: Scope): CesqlValue {
  const { operator } = link;
  if (operator === "AND" || operator === "OR" || operator === "XOR") {
    return logic(operator, left, link.operand, scope);
  }
  const mark = scope.errors.length;
  const right = evaluate(link.operand, scope);
  if (scope.errors.length > mark) return left; // the chain returns its zero value
  switch (operator) {
    case "+":
    case "-":
    case "*":
    case "/":
    case "%":
      return arithmetic(operator, left, right, link.at, scope.errors);
    default:
      return compare(operator, left, right, scope.errors);
  }
}

/** AND and OR skip their right operand once the left decides (spec 3.4.2); XOR needs both. */
function logic(operator: LogicOperator, left: CesqlValue, right: Node, scope: Scope): boolean {
  const mark = scope.errors.length;
  const l = castToBoolean(left, scope.errors);
  if (scope.errors.length > mark) return false;
  if (operator === "AND" && !l) return false;
  if (operator === "OR" && l) return true;
  const r = castToBoolean(evaluate(right, scope), scope.errors);
  if (scope.errors.length > mark) return false;
  return operator === "XOR" ? l !== r : r;
}

/**
 * `=`, `!=` and `<>` exist for all three types, so the left operand is cast
 * to the right operand's type (spec 3.7); the orderings are Integer only.
 */
function compare(
  operator: ComparisonOperator,
  left: CesqlValue,
  right: CesqlValue,
  errors: CesqlError[],
): boolean {
  const mark = errors.length;
  if (operator === "=" || operator === "!=" || operator === "<>") {
    const l = castTo(left, typeOf(right), errors);
    if (errors.length > mark) return false;
    return (l === right) === (operator === "=");
  }
  const l = castToInteger(left, errors);
  const r = castToInteger(right, errors);
  if (errors.length > mark) return false;
  switch (operator) {
    case "<":
      return l < r;
    case "<=":
      return l <= r;
    case ">":
      return l > r;
    case ">=":
      return l >= r;
  }
}

/**
 * Int32 arithmetic: results wrap around in two's complement, as 32-bit
 * machine integers do; `/` truncates toward zero and `%` keeps the sign of
 * the dividend (the truncated-division definition of spec 3.4.2).
 */
function arithmetic(
  operator: AdditiveOperator | MultiplicativeOperator,
  left: CesqlValue,
  right: CesqlValue,
  at: number,
  errors: CesqlError[],
): number {
  const mark = errors.length;
  const l = castToInteger(left, errors);
  const r = castToInteger(right, errors);
  if (errors.length > mark) return 0;
  switch (operator) {
    case "+":
      return (l + r) | 0;
    case "-":
      return (l - r) | 0;
    case "*":
      return Math.imul(l, r);
    case "/":
    case "%":
      if (r === 0) {
        errors.push(
          cesqlError("math", `${operator === "/" ? "division" : "modulo"} by zero at offset ${at}`),
        );
        return 0;
      }
      // The double quotient of two int32s is never off by enough to cross an integer, so trunc is exact.
      return (operator === "/" ? Math.trunc(l / r) : l % r) | 0;
  }
}

/**
 * An attribute as a CESQL value. Events hold only strings, int32 numbers and
 * booleans; anything else (which a validated event never has) reads as its
 * String form (spec 3.2), so evaluation cannot be thrown off by it.
 */
function readAttribute(event: CloudEvent, name: string): CesqlValue | undefined {
  const raw: unknown = getAttribute(event, name);
  if (typeof raw === "string" || typeof raw === "boolean") return raw;
  if (typeof raw === "number") return isInt32(raw) ? raw | 0 : String(raw);
  return raw === undefined || raw === null ? undefined : String(raw);
}
