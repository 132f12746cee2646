/**
 * The two expression languages: CESQL (route filters) and JSONata (source
 * mappings, route transforms). Arbitrary text and generated expressions
 * compile or fail with the language's own error; evaluation never throws
 * anything but the language's own errors (CESQL: nothing at all) and stays
 * inside the step budget. Through the gateway, a route with any such filter
 * or transform answers every event soundly.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import { type AttributeValue, createCloudEvent } from "../../src/event/cloud-event.js";
import { compileExpression, ExpressionError } from "../../src/expression/compile-expression.js";
import { ExpressionBudget, ExpressionBudgetExceeded } from "../../src/expression/expression-budget.js";
import { compileCesql, isCesqlParseError } from "../../src/filter/cesql/index.js";
import { STRUCTURED, structuredEvent, testGateway } from "../support/gateway.js";
import { countCase, FUZZ_TIMEOUT_MS, fuzzParameters } from "./fuzz-budget.js";
import { answerOf, expectSound, failOnUnhandledRejections } from "./soundness.js";

failOnUnhandledRejections();

const CESQL_ERROR_KINDS = new Set([
  "parse",
  "math",
  "cast",
  "missingAttribute",
  "missingFunction",
  "functionEvaluation",
  "generic",
]);

const attributeValue: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.boolean(),
  fc.constantFrom("true", "FALSE", "-2147483648", "2147483648", "1e3", " 7 ", ""),
);

const anyEvent = fc
  .tuple(
    fc.string({ minLength: 1, maxLength: 10 }),
    fc.option(fc.string({ minLength: 1, maxLength: 10 })),
    fc.dictionary(fc.constantFrom("n", "s", "b", "x1", "priority"), attributeValue),
  )
  .map(([type, subject, extensions]) =>
    createCloudEvent({
      attributes: {
        specversion: "1.0",
        id: "e",
        source: "/s",
        type,
        ...(subject === null ? {} : { subject }),
      },
      extensions: new Map(Object.entries(extensions)),
    }),
  );

// A small CESQL grammar: attributes, literals, every operator and function, nested.
const cesqlLiteral = fc.oneof(
  fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }).map(String),
  fc
    .string({ unit: fc.constantFrom("a", "%", "_", "\\", "''", '"', "1", " ", "😀"), maxLength: 6 })
    .map((s) => `'${s}'`),
  fc.constantFrom("TRUE", "FALSE", "true", "0", "-0", "2147483648", "-2147483648"),
);
const cesqlName = fc.constantFrom(
  "id",
  "source",
  "type",
  "subject",
  "time",
  "specversion",
  "n",
  "s",
  "b",
  "x1",
  "priority",
  "missing",
);
const cesqlExpression = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    cesqlLiteral,
    cesqlName,
    fc
      .tuple(
        tie("e"),
        fc.constantFrom("AND", "OR", "XOR", "=", "!=", "<>", "<", "<=", ">", ">=", "+", "-", "*", "/", "%"),
        tie("e"),
      )
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(fc.constantFrom("NOT ", "-", ""), tie("e")).map(([op, a]) => `${op}(${a})`),
    fc
      .tuple(
        tie("e"),
        fc.constantFrom("LIKE", "NOT LIKE"),
        fc.string({ unit: fc.constantFrom("a", "%", "_", "\\", "\\%"), maxLength: 6 }),
      )
      .map(([a, op, p]) => `${a} ${op} '${p}'`),
    fc
      .tuple(tie("e"), fc.constantFrom("IN", "NOT IN"), fc.array(tie("e"), { minLength: 1, maxLength: 3 }))
      .map(([a, op, list]) => `${a} ${op} (${list.join(", ")})`),
    cesqlName.map((n) => `EXISTS ${n}`),
    fc
      .tuple(
        fc.constantFrom(
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
          "IS_BOOL",
          "IS_INT",
          "NOPE",
        ),
        fc.array(tie("e"), { maxLength: 3 }),
      )
      .map(([f, args]) => `${f}(${args.join(", ")})`),
  ),
})).e;

const cesqlText = fc.oneof(
  cesqlExpression,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.integer({ min: 1, max: 2000 }).map((n) => `${"(".repeat(n)}1${")".repeat(n)}`),
  fc.integer({ min: 1, max: 2000 }).map((n) => `${"NOT ".repeat(n)}TRUE`),
);

// A small JSONata grammar, with constructs meant to cost: ranges, recursion, big strings.
const jsonataLeaf = fc.oneof(
  fc.constantFrom(
    "id",
    "type",
    "subject",
    "data",
    "data.a",
    "data.items",
    "data.items[0]",
    "$",
    "$$",
    "source",
    "nope.nope",
  ),
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc
    .string({ unit: fc.constantFrom("a", '"', "\\", " ", "😀", "{", "$"), maxLength: 6 })
    .map((s) => JSON.stringify(s)),
  fc.constantFrom("true", "null", "[]", "{}", "1e308", "-0"),
);
const jsonataExpression = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    jsonataLeaf,
    fc
      .tuple(
        tie("e"),
        fc.constantFrom("+", "-", "*", "/", "%", "&", "=", "!=", "<", ">", "and", "or", "in"),
        tie("e"),
      )
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie("e"), tie("e"), tie("e")).map(([a, b, c]) => `(${a} ? ${b} : ${c})`),
    fc
      .tuple(
        fc.constantFrom(
          "$string",
          "$length",
          "$uppercase",
          "$number",
          "$sum",
          "$count",
          "$keys",
          "$reverse",
          "$sort",
          "$distinct",
          "$boolean",
          "$not",
          "$exists",
          "$type",
          "$nope",
        ),
        tie("e"),
      )
      .map(([f, a]) => `${f}(${a})`),
    fc
      .tuple(tie("e"), fc.integer({ min: 0, max: 5 }), fc.integer({ min: -2, max: 12 }))
      .map(([a, s, l]) => `$substring($string(${a}), ${s}, ${l})`),
    fc.tuple(fc.integer({ min: 0, max: 200_000 }), tie("e")).map(([n, a]) => `[1..${n}].(${a})`),
    tie("e").map((a) => `$map([1,2,3], function($v){ ${a} })`),
    tie("e").map((a) => `{"k": ${a}}`),
  ),
})).e;
const jsonataHostile = fc.constantFrom(
  "($f := function($n){ $n = 0 ? 0 : $f($n - 1) }; $f(100000))",
  "($f := function($n){ $f($n) }; $f(1))",
  "[1..10000000]",
  "$join([1..100000].$string($), ',')",
  "$reduce([1..1000000], function($a, $b){ $a + $b })",
  "$pad('', 100000)",
  "$sift(data, function($v){ $v })",
  "$eval('1 + 1')",
  "$match('aaaaaaaaaaaaaaaaaaaa!', /(a+)+$/)",
);
const jsonataText = fc.oneof(
  jsonataExpression,
  jsonataHostile,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
);

const jsonataInput = fc.record({ id: fc.string(), type: fc.string(), data: fc.jsonValue({ maxDepth: 3 }) });

describe("CESQL, fuzzed", () => {
  it(
    "compiles any text or fails with a CesqlParseError, and evaluates without throwing",
    () => {
      fc.assert(
        fc.property(cesqlText, fc.array(anyEvent, { minLength: 1, maxLength: 3 }), (text, events) => {
          countCase();
          let compiled: ReturnType<typeof compileCesql>;
          try {
            compiled = compileCesql(text);
          } catch (error) {
            expect(isCesqlParseError(error), String(error)).toBe(true);
            return;
          }
          for (const event of events) {
            const { value, errors } = compiled.evaluate(event);
            expect(["boolean", "number", "string"]).toContain(typeof value);
            if (typeof value === "number")
              expect(Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31).toBe(true);
            for (const error of errors) expect(CESQL_ERROR_KINDS.has(error.kind), error.kind).toBe(true);
            expect(compiled.matches(event)).toBe(value === true && errors.length === 0);
          }
        }),
        fuzzParameters(2),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    "routes an event through any CESQL filter soundly, delivering it exactly when the filter matches",
    async () => {
      let serial = 0;
      await fc.assert(
        fc.asyncProperty(cesqlExpression, fc.string({ minLength: 1, maxLength: 8 }), async (sql, subject) => {
          countCase();
          let gw: ReturnType<typeof testGateway>;
          try {
            gw = testGateway({
              routes: [{ name: "filtered", to: ["memory"], filters: [{ sql }] }],
            } as GatewayConfig);
          } catch (error) {
            expect(error, String(error)).toBeInstanceOf(ConfigError);
            return;
          }
          try {
            const id = `cesql-${++serial}`;
            const event = structuredEvent({ id, subject, n: 7, s: "text" });
            const answer = await answerOf(
              await gw.post({ headers: STRUCTURED, body: JSON.stringify(event) }),
            );
            expectSound(answer, sql);
            const expected = compileCesql(sql).matches(
              createCloudEvent({
                attributes: { specversion: "1.0", id, source: event.source, type: event.type, subject },
                extensions: new Map<string, AttributeValue>([
                  ["n", 7],
                  ["s", "text"],
                ]),
              }),
            );
            expect(gw.received().map((e) => e.attributes.id)).toEqual(
              expected && answer.status === 202 ? [id] : [],
            );
          } finally {
            await gw.gateway.close();
          }
        }),
        fuzzParameters(0.5),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe("JSONata, fuzzed", () => {
  it(
    "compiles any text or fails with an ExpressionError, and evaluates within the step budget",
    async () => {
      await fc.assert(
        fc.asyncProperty(jsonataText, jsonataInput, async (text, input) => {
          countCase();
          let compiled: ReturnType<typeof compileExpression>;
          try {
            compiled = compileExpression(text);
          } catch (error) {
            expect(error, String(error)).toBeInstanceOf(ExpressionError);
            return;
          }
          const budget = new ExpressionBudget(20_000);
          try {
            await compiled.evaluate(input, budget);
          } catch (error) {
            expect(
              error instanceof ExpressionError || error instanceof ExpressionBudgetExceeded,
              `${text}: ${error}`,
            ).toBe(true);
          }
          expect(budget.used).toBeLessThanOrEqual(budget.limit);
        }),
        fuzzParameters(),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    "answers every event soundly through a route whose transform is any expression",
    async () => {
      await fc.assert(
        fc.asyncProperty(jsonataText, fc.jsonValue({ maxDepth: 2 }), async (expression, data) => {
          countCase();
          let gw: ReturnType<typeof testGateway>;
          try {
            gw = testGateway({
              routes: [
                { name: "shaped", to: ["memory"], transform: { attributes: { subject: expression } } },
              ],
            } as GatewayConfig);
          } catch (error) {
            expect(error, String(error)).toBeInstanceOf(ConfigError);
            return;
          }
          try {
            const answer = await answerOf(
              await gw.post({
                headers: STRUCTURED,
                body: JSON.stringify(structuredEvent({ data: { a: 1, items: [1, 2], value: data } })),
              }),
            );
            expectSound(answer, expression);
            expect(gw.received().length).toBeLessThanOrEqual(1);
          } finally {
            await gw.gateway.close();
          }
        }),
        fuzzParameters(0.5),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
