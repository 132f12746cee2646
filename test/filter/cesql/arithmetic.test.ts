/**
 * CESQL Integer arithmetic is int32 (spec 3.1, 3.4.2): results wrap around in
 * two's complement, `/` truncates toward zero, `%` keeps the dividend's sign,
 * and a zero divisor gives 0 with a MathError. Checked against BigInt.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cleanValue, run, testEvent } from "./cesql-helpers.js";

const int32 = fc.integer({ min: -2147483648, max: 2147483647 });

/** The int32 result by BigInt arithmetic, which cannot overflow. */
function reference(a: number, op: string, b: number): number {
  const x = BigInt(a);
  const y = BigInt(b);
  const exact = op === "+" ? x + y : op === "-" ? x - y : op === "*" ? x * y : op === "/" ? x / y : x % y;
  return Number(BigInt.asIntN(32, exact));
}

describe("int32 arithmetic", () => {
  it.each([
    ["2147483647 + 1", -2147483648],
    ["-2147483648 - 1", 2147483647],
    ["2147483647 * 2", -2],
    ["65536 * 65536", 0],
    ["46341 * 46341", -2147479015],
    ["-(-2147483648)", -2147483648],
    ["-2147483648 / -1", -2147483648],
    ["-2147483648 % -1", 0],
    ["2147483647 + 2147483647 + 2", 0],
  ])("wraps around: %s = %i", (expression, expected) => {
    expect(cleanValue(expression)).toBe(expected);
  });

  it.each([
    ["7 / 2", 3],
    ["-7 / 2", -3],
    ["7 / -2", -3],
    ["-7 / -2", 3],
    ["1 / 3", 0],
    ["-1 / 3", 0],
    ["7 % 3", 1],
    ["-7 % 3", -1],
    ["7 % -3", 1],
    ["-7 % -3", -1],
    ["-6 % 3", 0],
  ])("truncates toward zero: %s = %i", (expression, expected) => {
    expect(cleanValue(expression)).toBe(expected);
  });

  it("never produces -0", () => {
    expect(Object.is(cleanValue("-0"), 0)).toBe(true);
    expect(Object.is(cleanValue("-6 % 3"), 0)).toBe(true);
    expect(Object.is(cleanValue("0 * -1"), 0)).toBe(true);
    expect(Object.is(cleanValue("-1 / 3"), 0)).toBe(true);
  });

  it("gives 0 and a MathError for a zero divisor", () => {
    expect(run("5 / 0")).toEqual({ value: 0, errors: ["math"] });
    expect(run("5 % (3 - 3)")).toEqual({ value: 0, errors: ["math"] });
    expect(run("n / 0", testEvent({ n: 7 }))).toEqual({ value: 0, errors: ["math"] });
  });

  it("agrees with BigInt arithmetic for every operator", () => {
    fc.assert(
      fc.property(int32, fc.constantFrom("+", "-", "*", "/", "%"), int32, (a, op, b) => {
        fc.pre(!((op === "/" || op === "%") && b === 0));
        expect(cleanValue(`${a} ${op} ${b}`)).toBe(reference(a, op, b));
        // The same through attributes, which reach the operator as values, not literals.
        expect(cleanValue(`x ${op} y`, testEvent({ x: a, y: b }))).toBe(reference(a, op, b));
      }),
      { numRuns: 500 },
    );
  });

  it("casts String and Boolean operands to Integer", () => {
    expect(cleanValue("'+5' * 2")).toBe(10);
    expect(cleanValue("'-0007' + 0")).toBe(-7);
    expect(cleanValue("TRUE + TRUE")).toBe(2);
    expect(run("' 5' + 0")).toEqual({ value: 0, errors: ["cast"] });
    expect(run("'5.0' + 0")).toEqual({ value: 0, errors: ["cast"] });
    expect(run("'2147483648' + 0")).toEqual({ value: 0, errors: ["cast"] });
    expect(run("'1e3' + 0")).toEqual({ value: 0, errors: ["cast"] });
    expect(run("'0x10' + 0")).toEqual({ value: 0, errors: ["cast"] });
  });

  it("saturates ABS(-2147483648) with a MathError, as spec 3.5.2 says", () => {
    expect(run("ABS(-2147483648)")).toEqual({ value: 2147483647, errors: ["math"] });
    expect(cleanValue("ABS(-2147483647)")).toBe(2147483647);
  });

  it("reads Integer extension attributes as Integers", () => {
    const event = testEvent({ count: 41, big: 2147483647 });
    expect(cleanValue("count + 1", event)).toBe(42);
    expect(cleanValue("big + 1", event)).toBe(-2147483648);
    expect(cleanValue("count = '41'", event)).toBe(true);
  });
});
