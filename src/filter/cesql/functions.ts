/**
 * The built-in functions (spec 3.5) and their lookup by name and arity.
 * Arguments arrive already cast to the declared parameter types, so each body
 * only handles its own failures: it returns the value the spec defines and
 * reports a FunctionEvaluationError (or a MathError for ABS).
 * String positions and lengths count characters (code points), not UTF-16 units.
 */
import { type CesqlType, type CesqlValue, INT32_MAX, INT32_MIN } from "./casts.js";
import { codePoints, fromCodePoints } from "./characters.js";
import { type CesqlError, cesqlError } from "./errors.js";

export interface CesqlFunction {
  /** Upper-case name, as it is looked up. */
  readonly name: string;
  /** Types of the fixed parameters. */
  readonly params: readonly CesqlType[];
  /** Type of the variadic tail, for functions that take one. */
  readonly rest?: CesqlType;
  readonly returns: CesqlType;
  readonly call: (args: readonly CesqlValue[], errors: CesqlError[]) => CesqlValue;
}

// The evaluator casts every argument first, so these readers only narrow types.
const str = (args: readonly CesqlValue[], i: number): string => {
  const v = args[i];
  return typeof v === "string" ? v : "";
};
const int = (args: readonly CesqlValue[], i: number): number => {
  const v = args[i];
  return typeof v === "number" ? v : 0;
};

/**
 * Unicode's White_Space property, which TRIM removes. (JS trim() differs: it
 * strips U+FEFF, which is not White_Space, and keeps U+0085, which is.)
 */
const isWhiteSpace = (c: number) =>
  (c >= 0x09 && c <= 0x0d) ||
  c === 0x20 ||
  c === 0x85 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000;

function trim(text: string): string {
  // Every White_Space character is in the BMP, so UTF-16 units can be tested directly.
  let start = 0;
  let end = text.length;
  while (start < end && isWhiteSpace(text.charCodeAt(start))) start++;
  while (end > start && isWhiteSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

function left(args: readonly CesqlValue[], errors: CesqlError[]): string {
  const text = str(args, 0);
  const n = int(args, 1);
  if (n < 0) {
    errors.push(cesqlError("functionEvaluation", `LEFT: the length ${n} is negative`));
    return text;
  }
  const chars = codePoints(text);
  return n >= chars.length ? text : fromCodePoints(chars.slice(0, n));
}

function right(args: readonly CesqlValue[], errors: CesqlError[]): string {
  const text = str(args, 0);
  const n = int(args, 1);
  if (n < 0) {
    errors.push(cesqlError("functionEvaluation", `RIGHT: the length ${n} is negative`));
    return text;
  }
  const chars = codePoints(text);
  return n >= chars.length ? text : fromCodePoints(chars.slice(chars.length - n));
}

/**
 * SUBSTRING(x, pos[, len]): `pos` counts from 1, or from the end when
 * negative; 0 gives "". Out-of-range `pos` or a negative `len` gives "" and
 * an error. A `len` past the end is cut to the end.
 */
function substring(args: readonly CesqlValue[], errors: CesqlError[]): string {
  const chars = codePoints(str(args, 0));
  const pos = int(args, 1);
  const len = args.length > 2 ? int(args, 2) : undefined;
  if (pos > chars.length || pos < -chars.length) {
    errors.push(
      cesqlError(
        "functionEvaluation",
        `SUBSTRING: the position ${pos} is outside a ${chars.length}-character string`,
      ),
    );
    return "";
  }
  if (len !== undefined && len < 0) {
    errors.push(cesqlError("functionEvaluation", `SUBSTRING: the length ${len} is negative`));
    return "";
  }
  if (pos === 0) return "";
  const begin = pos > 0 ? pos - 1 : chars.length + pos;
  const end = len === undefined ? chars.length : Math.min(chars.length, begin + len);
  return fromCodePoints(chars.slice(begin, end));
}

function abs(args: readonly CesqlValue[], errors: CesqlError[]): number {
  const x = int(args, 0);
  if (x === INT32_MIN) {
    // |INT32_MIN| does not fit in an int32: the spec saturates and reports it.
    errors.push(
      cesqlError("math", "ABS: the absolute value of -2147483648 does not fit in a 32-bit integer"),
    );
    return INT32_MAX;
  }
  return Math.abs(x);
}

const fn = (
  name: string,
  params: readonly CesqlType[],
  returns: CesqlType,
  call: CesqlFunction["call"],
  rest?: CesqlType,
): CesqlFunction => Object.freeze({ name, params: Object.freeze([...params]), rest, returns, call });

const overloads = (...definitions: CesqlFunction[]): readonly CesqlFunction[] => Object.freeze(definitions);

/**
 * The casting functions declare the target type as their parameter, so the
 * evaluator's argument cast is the whole conversion, with its CastError.
 */
const BUILTINS: Readonly<Record<string, readonly CesqlFunction[]>> = Object.freeze({
  LENGTH: overloads(fn("LENGTH", ["String"], "Integer", (a) => codePoints(str(a, 0)).length)),
  CONCAT: overloads(fn("CONCAT", [], "String", (a) => a.join(""), "String")),
  CONCAT_WS: overloads(fn("CONCAT_WS", ["String"], "String", (a) => a.slice(1).join(str(a, 0)), "String")),
  LOWER: overloads(fn("LOWER", ["String"], "String", (a) => str(a, 0).toLowerCase())),
  UPPER: overloads(fn("UPPER", ["String"], "String", (a) => str(a, 0).toUpperCase())),
  TRIM: overloads(fn("TRIM", ["String"], "String", (a) => trim(str(a, 0)))),
  LEFT: overloads(fn("LEFT", ["String", "Integer"], "String", left)),
  RIGHT: overloads(fn("RIGHT", ["String", "Integer"], "String", right)),
  SUBSTRING: overloads(
    fn("SUBSTRING", ["String", "Integer"], "String", substring),
    fn("SUBSTRING", ["String", "Integer", "Integer"], "String", substring),
  ),
  ABS: overloads(fn("ABS", ["Integer"], "Integer", abs)),
  INT: overloads(fn("INT", ["Integer"], "Integer", (a) => int(a, 0))),
  BOOL: overloads(fn("BOOL", ["Boolean"], "Boolean", (a) => a[0] === true)),
  STRING: overloads(fn("STRING", ["String"], "String", (a) => str(a, 0))),
});

/**
 * The overload of `name` (any case) taking `arity` arguments: an exact fixed
 * arity first, else a variadic one whose fixed part fits. Undefined when no
 * definition accepts the call, which is a MissingFunctionError at evaluation.
 */
export function resolveFunction(name: string, arity: number): CesqlFunction | undefined {
  const upper = name.toUpperCase();
  const candidates = Object.hasOwn(BUILTINS, upper) ? BUILTINS[upper] : undefined;
  if (candidates === undefined) return undefined;
  return (
    candidates.find((f) => f.rest === undefined && f.params.length === arity) ??
    candidates.find((f) => f.rest !== undefined && arity >= f.params.length)
  );
}

/** Arities a name accepts, for the MissingFunctionError message ("" when the name is unknown). */
export function describeArities(name: string): string {
  const upper = name.toUpperCase();
  const candidates = Object.hasOwn(BUILTINS, upper) ? (BUILTINS[upper] ?? []) : [];
  return candidates
    .map((f) => (f.rest === undefined ? `${f.params.length}` : `${f.params.length} or more`))
    .join(" or ");
}
