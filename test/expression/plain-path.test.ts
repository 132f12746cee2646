import fc from "fast-check";
import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { compileExpression } from "../../src/expression/compile-expression.js";
import { ExpressionBudget } from "../../src/expression/expression-budget.js";
import { ASK_JSONATA, plainPathOf, readPlainPath } from "../../src/expression/plain-path.js";

const NAMES = ["a", "b", "x-id", "orderId"];
const name = fc.constantFrom(...NAMES);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.string({ maxLength: 3 }),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(name, tie("value"), { maxKeys: 3 }),
  ),
})).value;

const quoted = (n: string) => (/^[A-Za-z]\w*$/.test(n) ? n : `\`${n}\``);

describe("the plain-path shortcut", () => {
  it("recognizes plain paths only", () => {
    expect(plainPathOf(jsonata('body.customer."x-id"').ast())).toEqual(["body", "customer", "x-id"]);
    for (const text of [
      "body.items[0]",
      "body.a & 'x'",
      "$$.body",
      "body.*",
      "body.a.$string()",
      "body{a: b}",
      "body^(a)",
    ])
      expect(plainPathOf(jsonata(text).ast()), text).toBeUndefined();
  });

  /** JSONata marks its result sequences with own properties (`sequence`, and `push` under a length limit); the values are what count. */
  const withoutSequenceMarks = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(withoutSequenceMarks) : value;

  it("answers exactly as JSONata does, or hands over", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(name, json, { maxKeys: 4 }),
        fc.array(name, { minLength: 1, maxLength: 4 }),
        async (input, path) => {
          const text = path.map(quoted).join(".");
          const names = plainPathOf(jsonata(text).ast());
          expect(names).toEqual(path);
          const shortcut = readPlainPath(input, names ?? []);
          const expected = await jsonata(text).evaluate(input);
          if (shortcut !== ASK_JSONATA) expect(shortcut).toStrictEqual(expected);
          // Through compileExpression the answer is JSONata's either way (its
          // guardrails give result sequences an own `push`, hence the copies).
          expect(
            withoutSequenceMarks(await compileExpression(text).evaluate(input, new ExpressionBudget())),
          ).toStrictEqual(withoutSequenceMarks(expected));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("counts its steps against the budget", async () => {
    const budget = new ExpressionBudget(2);
    await expect(compileExpression("body.a.b").evaluate({ body: { a: { b: 1 } } }, budget)).rejects.toThrow(
      /steps/,
    );
  });
});
