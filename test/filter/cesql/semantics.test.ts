/**
 * CESQL evaluation rules the TCK only samples: error kinds and the values
 * that come with them, missing attributes, implicit casts, precedence,
 * short circuits, and the Subscriptions API reading of a result (`matches`).
 */
import { describe, expect, it } from "vitest";
import { createCloudEvent } from "../../../src/event/cloud-event.js";
import { compileCesql } from "../../../src/filter/cesql/index.js";
import { cleanValue, run, testEvent } from "./cesql-helpers.js";

describe("matches(): Boolean TRUE without error, nothing else", () => {
  const event = testEvent({ flag: "true", one: 1, yes: true });
  const matches = (expression: string) => compileCesql(expression).matches(event);

  it("matches Boolean TRUE", () => {
    expect(matches("TRUE")).toBe(true);
    expect(matches("yes")).toBe(true);
    expect(matches("BOOL(flag)")).toBe(true);
    expect(matches("flag = TRUE")).toBe(true);
  });

  it("does not match values of other types, however truthy", () => {
    expect(matches("flag")).toBe(false); // the String "true"
    expect(matches("one")).toBe(false); // the Integer 1
    expect(matches("'TRUE'")).toBe(false);
  });

  it("does not match when any error was raised", () => {
    expect(matches("missing")).toBe(false);
    expect(matches("NOT missing")).toBe(false);
    expect(matches("LEFT('TRUE', -1) = 'TRUE'")).toBe(false);
    expect(matches("UNKNOWN(1)")).toBe(false);
    expect(matches("NOT (1 / 0 = 1)")).toBe(false);
  });

  it("does match when a short circuit skipped the part that would fail", () => {
    expect(run("TRUE OR missing")).toEqual({ value: true, errors: [] });
    expect(matches("TRUE OR missing")).toBe(true);
    expect(matches("NOT (FALSE AND 1 / 0 = 0)")).toBe(true);
  });
});

describe("errors and the values that come with them", () => {
  it("reads a missing attribute as FALSE with a MissingAttributeError", () => {
    const result = compileCesql("subject").evaluate(testEvent());
    expect(result.value).toBe(false);
    expect(result.errors).toEqual([
      { kind: "missingAttribute", message: 'the event has no attribute "subject"' },
    ]);
    expect(Object.isFrozen(result.errors)).toBe(true);
  });

  it.each([
    ["missing * 5", 0],
    ["1 / missing", 0],
    ["missing % 0", 0],
    ["-missing", 0],
    ["NOT missing", false],
    ["missing = ''", false],
    ["missing <> 'x'", false],
    ["missing NOT LIKE 'x'", false],
    ["missing NOT IN ('x')", false],
    ["'x' IN (missing, 'x')", false],
    ["LENGTH(missing)", 0],
    ["CONCAT('a', missing)", ""],
    ["UPPER(missing)", ""],
    ["BOOL(missing)", false],
    ["ABS(missing)", 0],
    ["missing AND TRUE", false],
    ["missing OR TRUE", false],
    ["missing XOR TRUE", false],
    ["TRUE AND (missing = '')", false],
  ])("gives the zero value of the enclosing operator: %s is %j", (expression, value) => {
    expect(run(expression)).toEqual({ value, errors: ["missingAttribute"] });
  });

  it("stops an operator at its first failing operand, so one fault gives one error", () => {
    expect(run("missing / 0")).toEqual({ value: 0, errors: ["missingAttribute"] });
    expect(run("(1 / 0) + missing")).toEqual({ value: 0, errors: ["math"] });
    expect(run("CONCAT(missing, other)")).toEqual({ value: "", errors: ["missingAttribute"] });
    expect(run("(1 / 0) * 2 + 3 - 4")).toEqual({ value: 0, errors: ["math"] });
  });

  it("passes the zero value up through every enclosing operator", () => {
    expect(run("TRUE AND (1 != 1 / 0)")).toEqual({ value: false, errors: ["math"] });
    expect(run("LENGTH(STRING(1 / 0)) + 10")).toEqual({ value: 0, errors: ["math"] });
    expect(run("NOT (LEFT('abc', -1) = 'abc')")).toEqual({ value: false, errors: ["functionEvaluation"] });
  });

  it("keeps the value a function defines for its own failure", () => {
    expect(run("LEFT('abc', -1)")).toEqual({ value: "abc", errors: ["functionEvaluation"] });
    expect(run("RIGHT('abc', -1)")).toEqual({ value: "abc", errors: ["functionEvaluation"] });
    expect(run("SUBSTRING('abc', 2, -1)")).toEqual({ value: "", errors: ["functionEvaluation"] });
    expect(run("SUBSTRING('abc', 0, -1)")).toEqual({ value: "", errors: ["functionEvaluation"] });
    expect(cleanValue("SUBSTRING('abc', 0)")).toBe("");
    expect(cleanValue("SUBSTRING('abc', 3)")).toBe("c");
    expect(cleanValue("SUBSTRING('abc', -3)")).toBe("abc");
    expect(cleanValue("SUBSTRING('abc', 2, 0)")).toBe("");
    expect(cleanValue("LEFT('abc', 0)")).toBe("");
    expect(cleanValue("RIGHT('abc', 0)")).toBe("");
  });

  it("reports an unknown function or arity as FALSE, resolved once at compile time", () => {
    const unknown = compileCesql("NOPE(1 / 0)"); // compiles: the error belongs to evaluation
    expect(unknown.evaluate(testEvent())).toEqual({
      value: false,
      errors: [{ kind: "missingFunction", message: "no function NOPE" }],
    });
    expect(run("SUBSTRING('abc')")).toEqual({ value: false, errors: ["missingFunction"] });
    expect(run("ABS(1, 2)")).toEqual({ value: false, errors: ["missingFunction"] });
    expect(run("LENGTH(ABS(1, 2))")).toEqual({ value: 0, errors: ["missingFunction"] });
  });

  it("gives the zero value for a failed implicit cast", () => {
    expect(run("'abc' = 0")).toEqual({ value: false, errors: ["cast"] });
    expect(run("NOT 'maybe'")).toEqual({ value: false, errors: ["cast"] });
    expect(run("'x' AND TRUE")).toEqual({ value: false, errors: ["cast"] });
    expect(run("-'x'")).toEqual({ value: 0, errors: ["cast"] });
    expect(run("LEFT('abc', 'two')")).toEqual({ value: "", errors: ["cast"] });
    expect(run("1 IN ('one', 1)")).toEqual({ value: false, errors: ["cast"] });
    // The first match ends IN, as OR would: later elements are not evaluated.
    expect(run("1 IN (1, 'one', missing)")).toEqual({ value: true, errors: [] });
    expect(run("1 NOT IN (1, missing)")).toEqual({ value: false, errors: [] });
  });
});

describe("implicit casts", () => {
  const event = testEvent({ seq: "10", n: 10, b: true });

  it("casts the left operand of = to the right operand's type (spec 3.7)", () => {
    expect(cleanValue("seq = 10", event)).toBe(true);
    expect(cleanValue("10 = seq", event)).toBe(true);
    expect(cleanValue("'010' = 10")).toBe(true);
    expect(cleanValue("10 = '010'")).toBe(false);
    expect(cleanValue("TRUE = 'true' AND FALSE = 'false'")).toBe(true);
    expect(cleanValue("TRUE = 'TRUE' OR FALSE = 'FALSE'")).toBe(false);
  });

  it("orders as Integers only", () => {
    expect(cleanValue("'9' < '10'")).toBe(true);
    expect(cleanValue("n >= '10'", event)).toBe(true);
    expect(run("'a' < 'b'")).toEqual({ value: false, errors: ["cast", "cast"] });
  });

  it("casts IN elements to the left operand's type", () => {
    expect(cleanValue("n IN ('9', '10')", event)).toBe(true);
    expect(cleanValue("seq IN (10)", event)).toBe(true);
    expect(cleanValue("b IN ('TRUE')", event)).toBe(true);
    expect(cleanValue("'true' IN (TRUE)")).toBe(true);
    expect(cleanValue("'TRUE' IN (TRUE)")).toBe(false);
  });

  it("reads Boolean and Integer attributes with their own types", () => {
    expect(cleanValue("b AND n = 10", event)).toBe(true);
    expect(cleanValue("STRING(n) = '10' AND STRING(b) = 'true'", event)).toBe(true);
  });

  it("reads an attribute value outside the CESQL types as a String", () => {
    // Not reachable from a validated event; evaluation must cope anyway.
    const odd = createCloudEvent({
      attributes: { specversion: "1.0", id: "1", source: "/s", type: "t" },
      extensions: new Map<string, string | number | boolean>([
        ["big", 2 ** 40],
        ["frac", 1.5],
      ]),
    });
    expect(cleanValue("big = '1099511627776'", odd)).toBe(true);
    expect(cleanValue("frac LIKE '1.5'", odd)).toBe(true);
  });
});

describe("precedence and order (spec 3.6)", () => {
  it.each([
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["10 - 4 - 3", 3],
    ["24 / 4 / 2", 3],
    ["2 * 3 % 4", 2],
    ["-2 * -3", 6],
    ["5 -1", 4],
    ["5 - -1", 6],
    ["- 1 + 2", 1],
    ["-(1 + 2)", -3],
    ["1 + 2 IN (3)", 1], // IN binds tighter than +: 1 + FALSE
    ["1 + 2 IN (2)", 2], // 1 + TRUE
  ])("%s = %j", (expression, expected) => {
    expect(cleanValue(expression)).toBe(expected);
  });

  it.each([
    ["TRUE OR FALSE AND FALSE", false], // AND, OR and XOR share one level, left to right
    ["FALSE AND FALSE OR TRUE", true],
    ["TRUE XOR TRUE OR TRUE", true],
    ["NOT TRUE = FALSE", true], // unary NOT binds tighter than =
    ["NOT FALSE AND FALSE", false],
    ["1 < 2 = TRUE", true],
    ["1 = 1 = TRUE", true],
    ["'ab' LIKE 'a%' = TRUE", true],
    ["'ab' LIKE 'a%' IN (TRUE)", true],
    ["NOT EXISTS subject", true],
    ["EXISTS id AND EXISTS type", true],
  ])("%s is %j", (expression, expected) => {
    expect(run(expression).value).toBe(expected);
  });

  it("applies NOT before LIKE, as unary operators bind tightest", () => {
    // (NOT 'true') LIKE '%e' is 'false' LIKE '%e'; NOT ('true' LIKE '%e') would be FALSE.
    expect(cleanValue("NOT 'true' LIKE '%e'")).toBe(true);
    expect(cleanValue("NOT ('true' LIKE '%e')")).toBe(false);
  });
});

describe("events", () => {
  it("never changes the event", () => {
    const event = testEvent({ n: 1 });
    const before = JSON.stringify({ ...event, extensions: [...event.extensions] });
    compileCesql("n + 1 = 2 AND LOWER(type) LIKE '%' AND CONCAT(id, source) <> ''").evaluate(event);
    expect(JSON.stringify({ ...event, extensions: [...event.extensions] })).toBe(before);
  });

  it("reads every core attribute, the optional ones when present", () => {
    const event = testEvent(
      {},
      { subject: "sub", time: "2024-01-01T00:00:00Z", datacontenttype: "text/plain", dataschema: "urn:x" },
    );
    expect(
      cleanValue(
        "specversion = '1.0' AND id = 'id-1' AND source = '/tests' AND type LIKE 'com.%' AND subject = 'sub' " +
          "AND time LIKE '2024-%' AND datacontenttype = 'text/plain' AND dataschema = 'urn:x'",
        event,
      ),
    ).toBe(true);
  });
});
