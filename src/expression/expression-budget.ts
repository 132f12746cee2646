/**
 * What one request may spend evaluating JSONata expressions (source mappings,
 * route transforms): a count of evaluation steps shared by every expression
 * the request runs. Steps, not milliseconds, because a Worker's clock does not
 * advance while it computes, and a count is the same on every run.
 */

/** Steps a request may take by default: about a few tens of milliseconds of evaluation. */
export const DEFAULT_EXPRESSION_STEPS = 100_000;

export class ExpressionBudgetExceeded extends Error {
  constructor(
    readonly limit: number,
    message = `evaluating the request's expressions took more than ${limit} steps`,
  ) {
    super(message);
    this.name = "ExpressionBudgetExceeded";
  }
}

export class ExpressionBudget {
  #left: number;

  constructor(readonly limit: number = DEFAULT_EXPRESSION_STEPS) {
    this.#left = limit;
  }

  /** Takes one step; throws ExpressionBudgetExceeded once the budget is spent. */
  step(): void {
    if (--this.#left < 0) throw new ExpressionBudgetExceeded(this.limit);
  }

  get used(): number {
    return Math.min(this.limit, this.limit - this.#left);
  }
}
