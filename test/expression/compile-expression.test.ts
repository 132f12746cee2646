import { describe, expect, it } from "vitest";
import { compileExpression, ExpressionError } from "../../src/expression/compile-expression.js";
import { ExpressionBudget, ExpressionBudgetExceeded } from "../../src/expression/expression-budget.js";

const SOURCE_ROOTS = new Set(["body", "headers", "query"]);
const input = {
  body: { orderId: 1001, items: [{ price: 3 }, { price: 9, id: "b" }] },
  headers: { "x-id": "h" },
  query: {},
};

describe("compileExpression", () => {
  it("evaluates a quoted constant without evaluating anything", async () => {
    const compiled = compileExpression("'com.example.order.created'", { roots: SOURCE_ROOTS });
    expect(compiled.constant).toEqual({ value: "com.example.order.created" });
    expect(await compiled.evaluate({}, new ExpressionBudget(0))).toBe("com.example.order.created");
  });

  it("evaluates paths, predicates, functions and headers with odd names", async () => {
    const budget = new ExpressionBudget();
    expect(await compileExpression("body.orderId", { roots: SOURCE_ROOTS }).evaluate(input, budget)).toBe(
      1001,
    );
    expect(
      await compileExpression("body.items[price > 5].id", { roots: SOURCE_ROOTS }).evaluate(input, budget),
    ).toBe("b");
    expect(
      await compileExpression('headers."x-id" & "-" & $string(body.orderId)', {
        roots: SOURCE_ROOTS,
      }).evaluate(input, budget),
    ).toBe("h-1001");
    expect(
      await compileExpression("body.missing", { roots: SOURCE_ROOTS }).evaluate(input, budget),
    ).toBeUndefined();
    expect(budget.used).toBeGreaterThan(0);
  });

  it.each([
    ["com.example.x", '"com"', "'com.example.x'"],
    ["orderId", '"orderId"', "'orderId'"],
    ["body.a & data.b", '"data"', undefined],
    ["$string(payload.x)", '"payload"', undefined],
    ["{ 'a': thing }", '"thing"', undefined],
    ["*.x", '"*"', undefined],
  ])("refuses %s, which is not rooted at body, headers or query", (text, named, hint) => {
    let error: unknown;
    try {
      compileExpression(text, { roots: SOURCE_ROOTS });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as Error).message).toContain(named);
    if (hint !== undefined) expect((error as Error).message).toContain(hint);
  });

  it("accepts paths from variables and relative names inside predicates", () => {
    expect(() => compileExpression("$$.body.x", { roots: SOURCE_ROOTS })).not.toThrow();
    expect(() => compileExpression("body.items[price > 5]", { roots: SOURCE_ROOTS })).not.toThrow();
    expect(() =>
      compileExpression("$map(body.items, function($i) { $i.price })", { roots: SOURCE_ROOTS }),
    ).not.toThrow();
  });

  it("refuses a syntax error with its position", () => {
    let error: ExpressionError | undefined;
    try {
      compileExpression("body.(");
    } catch (thrown) {
      error = thrown as ExpressionError;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error?.position).toBe(6);
  });

  it("turns a failed evaluation into an ExpressionError", async () => {
    await expect(
      compileExpression("$notAFunction(1)").evaluate({}, new ExpressionBudget()),
    ).rejects.toBeInstanceOf(ExpressionError);
  });

  it("stops an expression that spends the request's budget, shared across evaluations", async () => {
    const loop = compileExpression("$map([1..1000], function($i) { $i * 2 })");
    await expect(loop.evaluate({}, new ExpressionBudget(500))).rejects.toBeInstanceOf(
      ExpressionBudgetExceeded,
    );
    const shared = new ExpressionBudget(40);
    const small = compileExpression("body.items[price > 5].id");
    let runs = 0;
    await expect(
      (async () => {
        for (;;) {
          await small.evaluate(input, shared);
          runs++;
        }
      })(),
    ).rejects.toBeInstanceOf(ExpressionBudgetExceeded);
    expect(runs).toBeGreaterThan(0);
    expect(runs).toBeLessThan(40);
  });

  it("keeps concurrent evaluations' budgets apart", async () => {
    const loop = compileExpression("$sum($map([1..200], function($i) { $i }))");
    const [big, small] = await Promise.allSettled([
      loop.evaluate({}, new ExpressionBudget(100_000)),
      loop.evaluate({}, new ExpressionBudget(50)),
    ]);
    expect(big).toEqual({ status: "fulfilled", value: 20100 });
    expect(small.status).toBe("rejected");
  });
});
