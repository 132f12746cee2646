/**
 * Evaluation is total (spec 3.3): for any expression that compiles and any
 * event, `evaluate` returns a CESQL value and known error kinds, and never
 * throws. Random expressions come from a small CESQL grammar; random text
 * checks that compiling throws nothing but CesqlParseError.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AttributeValue } from "../../../src/event/cloud-event.js";
import { type CesqlExpression, compileCesql, isCesqlParseError } from "../../../src/filter/cesql/index.js";
import { testEvent } from "./cesql-helpers.js";

const KINDS = ["math", "cast", "missingAttribute", "missingFunction", "functionEvaluation"];
const NAMES = ["id", "source", "type", "subject", "time", "specversion", "n", "s", "b", "x1", "missing"];
const FUNCTIONS = [
  "LENGTH",
  "CONCAT",
  "CONCAT_WS",
  "LOWER",
  "UPPER",
  "TRIM",
  "LEFT",
  "RIGHT",
  "SUBSTRING",
  "ABS",
  "INT",
  "BOOL",
  "STRING",
  "NOPE",
];
const BINARY = ["AND", "OR", "XOR", "=", "!=", "<>", "<", "<=", ">", ">=", "+", "-", "*", "/", "%"];

/** Text for string literals and attribute values: wildcards, quotes, digits, booleans, astral characters. */
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom("a", "%", "_", "\\", "'", '"', "1", "-", " ", "😀", "é") }),
  fc.constantFrom("true", "FALSE", "0", "-2147483648", "2147483648", ""),
  fc.string({ unit: "binary", maxLength: 8 }),
);

/**
 * A string literal for `value`. The only escape is a backslash before the
 * delimiter, and any other backslash is kept with the character after it, so
 * a backslash right before a quote or at the end cannot be written: drop it.
 */
function quote(value: string, q: "'" | '"'): string {
  let out = q;
  const chars = Array.from(value);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    const next = chars[i + 1];
    if (c === q) out += `\\${q}`;
    else if (c !== "\\") out += c;
    else if (next !== undefined && next !== q) {
      out += `\\${next}`;
      i++;
    }
  }
  return out + q;
}

const { expression } = fc.letrec<{
  expression: string;
  leaf: string;
  unary: string;
  binary: string;
  like: string;
  in: string;
  call: string;
}>((tie) => ({
  expression: fc.oneof(
    { maxDepth: 5, depthIdentifier: "cesql" },
    tie("leaf"),
    tie("unary"),
    tie("binary"),
    tie("like"),
    tie("in"),
    tie("call"),
    tie("expression").map((e) => `(${e})`),
  ),
  leaf: fc.oneof(
    fc.integer({ min: -2147483648, max: 2147483647 }).map(String),
    fc.constantFrom("TRUE", "false", "0", "1", "-1"),
    fc.tuple(text, fc.constantFrom<"'" | '"'>("'", '"')).map(([value, q]) => quote(value, q)),
    fc.constantFrom(...NAMES),
    fc.constantFrom(...NAMES).map((name) => `EXISTS ${name}`),
  ),
  unary: fc.tuple(fc.constantFrom("NOT ", "-", "- "), tie("expression")).map(([op, e]) => `${op}${e}`),
  binary: fc
    .tuple(tie("expression"), fc.constantFrom(...BINARY), tie("expression"))
    .map(([a, op, b]) => `${a} ${op} ${b}`),
  like: fc
    .tuple(tie("expression"), fc.boolean(), text)
    .map(([e, not, pattern]) => `${e} ${not ? "NOT " : ""}LIKE ${quote(pattern, "'")}`),
  in: fc
    .tuple(tie("expression"), fc.boolean(), fc.array(tie("expression"), { minLength: 1, maxLength: 4 }))
    .map(([e, not, set]) => `${e} ${not ? "NOT " : ""}IN (${set.join(", ")})`),
  call: fc
    .tuple(fc.constantFrom(...FUNCTIONS), fc.array(tie("expression"), { maxLength: 4 }))
    .map(([name, args]) => `${name}(${args.join(", ")})`),
}));

const attributeValue: fc.Arbitrary<AttributeValue> = fc.oneof(
  text,
  fc.integer({ min: -2147483648, max: 2147483647 }),
  fc.boolean(),
  // Outside the CloudEvents types; a validated event never has them, but evaluation must cope.
  fc.constantFrom(Number.NaN, 1.5, 2 ** 40, Number.POSITIVE_INFINITY, -0),
);

const event = fc
  .tuple(
    fc.dictionary(fc.constantFrom("n", "s", "b", "x1"), attributeValue),
    fc.option(text, { nil: undefined }),
    fc.option(text, { nil: undefined }),
  )
  .map(([extensions, subject, time]) => testEvent(extensions, { subject, time }));

function checkEvaluation(compiled: CesqlExpression, events: ReturnType<typeof testEvent>[]) {
  for (const e of events) {
    const result = compiled.evaluate(e);
    const { value, errors } = result;
    if (typeof value === "number") {
      expect(Number.isInteger(value) && value >= -2147483648 && value <= 2147483647).toBe(true);
      expect(Object.is(value, -0)).toBe(false);
    } else {
      expect(["string", "boolean"]).toContain(typeof value);
    }
    for (const error of errors) {
      // "generic" would mean the safety net caught an exception from the evaluator itself.
      expect(KINDS).toContain(error.kind);
      expect(typeof error.message).toBe("string");
    }
    expect(compiled.matches(e)).toBe(value === true && errors.length === 0);
    expect(compiled.evaluate(e)).toEqual(result); // referentially transparent
  }
}

describe("evaluation never throws", () => {
  it("for random expressions of the grammar and random events", () => {
    fc.assert(
      fc.property(expression, fc.array(event, { minLength: 1, maxLength: 3 }), (source, events) => {
        let compiled: CesqlExpression;
        try {
          compiled = compileCesql(source);
        } catch (error) {
          // Only the nesting limit could reject a grammar-made expression, and depth 5 is far below it.
          throw new Error(`${source} did not compile: ${String(error)}`);
        }
        checkEvaluation(compiled, events);
      }),
      { numRuns: 2000 },
    );
  });

  it("for arbitrary text: compiling throws nothing but CesqlParseError", () => {
    const token = fc.constantFrom(
      "(",
      ")",
      ",",
      "'",
      '"',
      "\\",
      "NOT",
      "AND",
      "LIKE",
      "IN",
      "EXISTS",
      "-",
      "+",
      "=",
      "<>",
      "1",
      "2147483648",
      "x",
      "ABS",
      "%",
      " ",
      "\n",
    );
    const source = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.array(token, { maxLength: 30 }).map((tokens) => tokens.join("")),
    );
    fc.assert(
      fc.property(source, event, (text, e) => {
        let compiled: CesqlExpression | undefined;
        try {
          compiled = compileCesql(text);
        } catch (error) {
          expect(isCesqlParseError(error)).toBe(true);
          const { position, line, column } = error as { position: number; line: number; column: number };
          expect(position).toBeGreaterThanOrEqual(0);
          expect(position).toBeLessThanOrEqual(text.length);
          expect(line).toBeGreaterThanOrEqual(1);
          expect(column).toBeGreaterThanOrEqual(1);
        }
        if (compiled !== undefined) checkEvaluation(compiled, [e]);
      }),
      { numRuns: 3000 },
    );
  });
});
