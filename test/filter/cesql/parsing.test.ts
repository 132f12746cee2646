/**
 * CESQL syntax beyond the TCK: where parse errors point, literals and names,
 * and the size limits (long expressions work, absurd nesting is a clean
 * CesqlParseError rather than a stack overflow).
 */
import { describe, expect, it } from "vitest";
import {
  CesqlParseError,
  compileCesql,
  isCesqlParseError,
  MAX_NESTING,
} from "../../../src/filter/cesql/index.js";
import { cleanValue, parseErrorOf, run, testEvent } from "./cesql-helpers.js";

function parseError(expression: string): CesqlParseError {
  const error = parseErrorOf(expression);
  if (!(error instanceof CesqlParseError)) throw new Error(`expected a parse error for ${expression}`);
  return error;
}

describe("parse error locations", () => {
  it("gives the offset, line and column of the fault, in the message too", () => {
    const error = parseError("type = 'a' AND\n  subject LIKE 5");
    expect(error).toMatchObject({ position: 30, line: 2, column: 16, name: "CesqlParseError" });
    expect(error.message).toContain("line 2, column 16 (offset 30)");
    expect(error.detail).toBe("the pattern after LIKE must be a string literal, found the integer 5");
  });

  it("counts CRLF as one line break", () => {
    expect(parseError("TRUE AND\r\n\r\n  )")).toMatchObject({ line: 3, column: 3, position: 14 });
  });

  it("counts columns in characters while the offset counts UTF-16 units", () => {
    // Each emoji is one character but two UTF-16 units.
    expect(parseError("'😀😀' = #")).toMatchObject({ position: 9, line: 1, column: 8 });
  });

  it("points an unterminated string at its opening quote", () => {
    expect(parseError("subject = 'abc")).toMatchObject({ position: 10, column: 11 });
    expect(parseError("subject = 'it\\'")).toMatchObject({ position: 10 });
  });

  it("points a missing ')' at what came instead", () => {
    const error = parseError("(1 + 2");
    expect(error.position).toBe(6);
    expect(error.detail).toBe("expected ')' to close the '(' at offset 0, found the end of the expression");
  });

  it("rejects an unknown character, naming it", () => {
    expect(parseError("a ! b").detail).toBe("unexpected character '!'");
    expect(parseError("a = \u00a0").detail).toBe("unexpected character U+00A0");
  });

  it("is recognisable without instanceof", () => {
    const error = parseErrorOf("1 +");
    expect(isCesqlParseError(error)).toBe(true);
    expect(isCesqlParseError(new Error("1 +"))).toBe(false);
  });
});

describe("syntax", () => {
  it.each([
    ["", 0],
    ["   ", 3],
    ["1 2", 2],
    ["a NOT b", 6],
    ["EXISTS 'id'", 7],
    ["x LIKE y", 7],
    ["x LIKE ('a%')", 7],
    ["x IN ()", 6],
    ["x IN 1", 5],
    ["LENGTH('a',)", 11],
    ["a_b = 1", 0],
    ["f1(2)", 0],
    ["+x", 0],
    ["1 = = 1", 4],
    ["ABC(", 4],
    ["'a' 'b'", 4],
  ])("rejects %j at offset %i", (expression, position) => {
    expect(parseError(expression).position).toBe(position);
  });

  it("reads keywords, function names and attribute names in any case", () => {
    const event = testEvent({ myext: "v" });
    expect(cleanValue("tRuE aNd NoT fAlSe", event)).toBe(true);
    expect(cleanValue("ExIsTs MyExt AND MYEXT = 'v' AND Id = 'id-1'", event)).toBe(true);
    expect(cleanValue("upper(myext) like 'V' and Length(MyExt) in (1)", event)).toBe(true);
  });

  it("accepts attribute names that start with a digit", () => {
    expect(cleanValue("1st = 'x'", testEvent({ "1st": "x" }))).toBe(true);
  });

  it("takes integer literals only in the int32 range, with an optional sign", () => {
    expect(cleanValue("2147483647")).toBe(2147483647);
    expect(cleanValue("-2147483648")).toBe(-2147483648);
    expect(cleanValue("- 2147483648")).toBe(-2147483648);
    expect(cleanValue("+7")).toBe(7);
    expect(cleanValue("007")).toBe(7);
    expect(parseError("2147483648").detail).toBe("the integer 2147483648 is outside the 32-bit range");
    expect(parseError("-2147483649").position).toBe(0);
    expect(parseError("1 + 99999999999999999999").position).toBe(4);
  });

  it("escapes only the delimiting quote in string literals", () => {
    expect(cleanValue("'it\\'s'")).toBe("it's");
    expect(cleanValue('"say \\"hi\\""')).toBe('say "hi"');
    expect(cleanValue(`'a"b' = "a\\"b"`)).toBe(true);
    // Any other backslash stays, with the character after it.
    expect(cleanValue("'a\\nb'")).toBe("a\\nb");
    expect(cleanValue("'a\\\\'")).toBe("a\\\\");
    expect(cleanValue("'a\\%'")).toBe("a\\%");
  });

  it("keeps line breaks and other characters inside string literals", () => {
    expect(cleanValue("'line 1\nline 2'")).toBe("line 1\nline 2");
    expect(cleanValue("'\u0000\u001f'")).toBe("\u0000\u001f");
  });

  it("parses once and evaluates many times", () => {
    const expression = compileCesql("myext = 'a'");
    expect(expression.source).toBe("myext = 'a'");
    expect(Object.isFrozen(expression)).toBe(true);
    expect(expression.matches(testEvent({ myext: "a" }))).toBe(true);
    expect(expression.matches(testEvent({ myext: "b" }))).toBe(false);
    expect(expression.matches(testEvent({ myext: "a" }))).toBe(true);
  });

  it("rejects a value that is not a string", () => {
    expect(() => compileCesql(42 as unknown as string)).toThrow(TypeError);
  });
});

describe("size limits", () => {
  const nested = (depth: number, open: string, inner: string, close: string) =>
    `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

  it("evaluates 5,000 ORed comparisons", () => {
    const expression = Array.from({ length: 5000 }, (_, i) => `myext = 'v${i}'`).join(" OR ");
    const compiled = compileCesql(expression);
    expect(compiled.matches(testEvent({ myext: "v4999" }))).toBe(true);
    expect(compiled.matches(testEvent({ myext: "v0" }))).toBe(true);
    expect(compiled.evaluate(testEvent({ myext: "v5000" }))).toEqual({ value: false, errors: [] });
  });

  it("evaluates long arithmetic chains, long IN lists and long argument lists", () => {
    expect(cleanValue(Array(10000).fill("1").join(" + "))).toBe(10000);
    expect(cleanValue(`5000 IN (${Array.from({ length: 5001 }, (_, i) => i).join(", ")})`)).toBe(true);
    expect(cleanValue(`LENGTH(CONCAT(${Array(5000).fill("'ab'").join(", ")}))`)).toBe(10000);
  });

  it(`accepts nesting up to ${MAX_NESTING} levels`, () => {
    expect(cleanValue(nested(MAX_NESTING, "(", "TRUE", ")"))).toBe(true);
    expect(cleanValue(nested(MAX_NESTING, "NOT ", "TRUE", ""))).toBe(true);
    expect(cleanValue(nested(MAX_NESTING, "-", "1", ""))).toBe(1);
    expect(cleanValue(nested(MAX_NESTING - 1, "ABS(", "-1", ")"))).toBe(1);
    expect(cleanValue(nested(MAX_NESTING / 2, "1 + (", "1", ")"))).toBe(MAX_NESTING / 2 + 1);
    expect(cleanValue(nested(MAX_NESTING / 2, "1 IN (", "1", ")"))).toBe(true);
  });

  it.each([
    ["parentheses", nested(10000, "(", "1", ")")],
    ["NOTs", nested(100000, "NOT ", "TRUE", "")],
    ["unary minuses", nested(100000, "-", "1", "")],
    ["function calls", nested(10000, "ABS(", "1", ")")],
    ["right-nested operators", nested(10000, "1 + (", "1", ")")],
    ["unclosed parentheses", "(".repeat(1_000_000)],
  ])("rejects absurdly deep %s with a parse error, not a stack overflow", (_, expression) => {
    const error = parseError(expression);
    expect(error.detail).toBe(`the expression is nested too deeply (more than ${MAX_NESTING} levels)`);
  });

  it("keeps evaluation within the stack for the deepest accepted tree", () => {
    const expression = nested(MAX_NESTING / 2, "1 + (", "missing", ")");
    expect(run(expression)).toEqual({ value: 0, errors: ["missingAttribute"] });
  });
});
