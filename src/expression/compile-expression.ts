/**
 * JSONata expressions, compiled once when the config loads and evaluated per
 * request under an ExpressionBudget. JSONata (the `jsonata` package) walks its
 * own syntax tree and generates no code, so it runs on Workers as on Node.
 */
import jsonata from "jsonata";
import { type ExpressionBudget, ExpressionBudgetExceeded } from "./expression-budget.js";
import { ASK_JSONATA, plainPathOf, readPlainPath } from "./plain-path.js";
import { findUnrootedPath, type RootRule } from "./rooted-paths.js";

/** A symbol JSONata looks up in its environment and calls before evaluating each node. */
const EVALUATE_ENTRY = Symbol.for("jsonata.__evaluate_entry");
/**
 * The per-evaluation binding the step hook reads the budget from. A name no
 * JSONata variable can spell (it has a space), so an expression cannot read it.
 */
const BUDGET_BINDING = "ce-gateway budget";

/** Guards JSONata enforces itself, besides the step budget. */
const GUARDRAILS = { stack: 200, sequence: 100_000 } as const;

/** A compile or evaluation failure, with the character position JSONata reports. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position?: number,
  ) {
    super(message);
    this.name = "ExpressionError";
  }
}

export interface CompiledExpression {
  /** The expression as written in the config. */
  readonly text: string;
  /** The value when the expression is a literal (`'com.example.created'`); no evaluation needed. */
  readonly constant: { readonly value: unknown } | undefined;
  /**
   * Evaluates against `input`; undefined when it yields nothing. Throws
   * ExpressionError when the expression fails (a type error, an unknown
   * function) and ExpressionBudgetExceeded when the budget is spent.
   */
  evaluate(input: unknown, budget: ExpressionBudget): Promise<unknown>;
}

/** Which top-level paths an input can answer, when its names are not a fixed set (an event's extensions). */
export interface RootPolicy {
  readonly accepts: RootRule;
  /** What a refused path should have been, for the message: `"com" is not <expected>`. */
  readonly expected: string;
}

export interface CompileOptions {
  /** Names every top-level path must start at, or the rule it must meet (see rooted-paths.ts); absent: not checked. */
  readonly roots?: ReadonlySet<string> | RootPolicy;
}

/** JSONata's error codes for its guardrails: stack depth, time, sequence length. */
const GUARD_CODES = new Set(["D1011", "D1012", "D2015"]);

const LITERAL_TYPES = new Set(["string", "number", "value"]);

function messageOf(thrown: unknown): string {
  if (typeof thrown === "object" && thrown !== null && "message" in thrown) return String(thrown.message);
  return String(thrown);
}

function positionOf(thrown: unknown): number | undefined {
  if (typeof thrown === "object" && thrown !== null && "position" in thrown) {
    const position = (thrown as { position: unknown }).position;
    return typeof position === "number" ? position : undefined;
  }
  return undefined;
}

/** Compiles an expression; throws ExpressionError saying what is wrong with it. */
export function compileExpression(text: string, options: CompileOptions = {}): CompiledExpression {
  let expression: jsonata.Expression;
  try {
    expression = jsonata(text, GUARDRAILS);
  } catch (thrown) {
    throw new ExpressionError(messageOf(thrown), positionOf(thrown));
  }
  const ast = expression.ast();
  if (LITERAL_TYPES.has(ast.type)) {
    return { text, constant: { value: ast.value }, evaluate: async () => ast.value };
  }
  const roots = options.roots;
  if (roots !== undefined) {
    const unrooted = findUnrootedPath(ast, "accepts" in roots ? roots.accepts : roots);
    if (unrooted !== undefined) {
      const expected =
        "accepts" in roots
          ? roots.expected
          : `one of ${[...roots].join(", ")}: a path must start at one of them`;
      const hint = /^[\w.-]+$/.test(text) ? ` (a constant is quoted: "'${text}'")` : "";
      throw new ExpressionError(`"${unrooted.name}" is not ${expected}${hint}`, unrooted.position);
    }
  }
  expression.assign(
    EVALUATE_ENTRY as unknown as string,
    (_node: unknown, _input: unknown, env: jsonata.Environment) => {
      (env.lookup(BUDGET_BINDING) as ExpressionBudget | undefined)?.step();
    },
  );
  const plainPath = plainPathOf(ast);
  return {
    text,
    constant: undefined,
    async evaluate(input, budget) {
      if (plainPath !== undefined) {
        // One step per name, as JSONata's own count would be at least.
        for (let i = 0; i < plainPath.length; i++) budget.step();
        const value = readPlainPath(input, plainPath);
        if (value !== ASK_JSONATA) return value;
      }
      try {
        return await expression.evaluate(input, { [BUDGET_BINDING]: budget });
      } catch (thrown) {
        if (thrown instanceof ExpressionBudgetExceeded) throw thrown;
        const code = (thrown as { code?: unknown } | null)?.code;
        // JSONata's own guards (nesting too deep, a sequence too long) are cost limits too.
        if (typeof code === "string" && GUARD_CODES.has(code))
          throw new ExpressionBudgetExceeded(
            budget.limit,
            `the expression "${text}" went past a limit: ${messageOf(thrown)}`,
          );
        throw new ExpressionError(messageOf(thrown), positionOf(thrown));
      }
    },
  };
}
