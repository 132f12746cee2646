/**
 * Runs one route's transform over one event under the request's budget: what
 * it sets, removes and puts in the data, before the core checks (see
 * transformed-event.ts). Every failing expression is reported, each naming
 * the route and the attribute; a spent budget ends the evaluation.
 */
import { describeError, type FieldFailure } from "../errors/errors.js";
import type { RawAttributeValue } from "../event/raw-event.js";
import { type CompiledExpression, ExpressionError } from "../expression/compile-expression.js";
import { type ExpressionBudget, ExpressionBudgetExceeded } from "../expression/expression-budget.js";
import type { EventPosition } from "../validate/event-validator.js";
import type { CompiledTransform } from "./compile-transform.js";
import { attributeValueOf, dataBytesOf } from "./result-values.js";

export type DataChange =
  /** No `data` expression: the data goes as it came. */
  | { readonly kind: "kept" }
  | { readonly kind: "replaced"; readonly bytes: Uint8Array }
  /** The `data` expression yielded nothing. */
  | { readonly kind: "removed" };

export interface TransformDraft {
  /** The attributes the transform sets; null for one it removes. */
  readonly attributes: ReadonlyMap<string, RawAttributeValue | null>;
  readonly data: DataChange;
}

export type DraftResult =
  | { readonly ok: true; readonly draft: TransformDraft }
  | {
      readonly ok: false;
      readonly failures: readonly FieldFailure[];
      /** The request's budget is spent: nothing further can be evaluated. */
      readonly budgetSpent: boolean;
    };

/** A draft that changes nothing: the event as received. */
export const UNCHANGED: TransformDraft = { attributes: new Map(), data: { kind: "kept" } };

type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly code: string; readonly reason: string; readonly position?: number };

async function evaluate(
  expression: CompiledExpression,
  input: unknown,
  budget: ExpressionBudget,
): Promise<Outcome> {
  try {
    return { ok: true, value: await expression.evaluate(input, budget) };
  } catch (error) {
    if (error instanceof ExpressionBudgetExceeded)
      return { ok: false, code: "transform-budget-exceeded", reason: error.message };
    const position = error instanceof ExpressionError ? error.position : undefined;
    return {
      ok: false,
      code: "transform-error",
      reason: describeError(error),
      ...(position !== undefined && { position }),
    };
  }
}

/** A literal is its value: nothing to evaluate. */
const run = (expression: CompiledExpression, input: unknown, budget: ExpressionBudget) =>
  expression.constant === undefined
    ? evaluate(expression, input, budget)
    : ({ ok: true, value: expression.constant.value } as const);

export async function evaluateTransform(
  transform: CompiledTransform,
  route: string,
  input: unknown,
  budget: ExpressionBudget,
  position: EventPosition,
): Promise<DraftResult> {
  const failures: FieldFailure[] = [];
  const fail = (member: string, what: string, code: string, reason: string, at?: number) =>
    failures.push({
      index: position.index,
      pointer: `${position.pointerPrefix}/${member}`,
      route,
      code,
      detail: `route "${route}", ${what}${at === undefined ? "" : `, at position ${at}`}: ${reason}`,
    });
  const attributes = new Map<string, RawAttributeValue | null>();
  for (const { name, expression } of transform.attributes) {
    const outcome = await run(expression, input, budget);
    if (!outcome.ok) {
      fail(name, `attribute "${name}"`, outcome.code, outcome.reason, outcome.position);
      if (outcome.code === "transform-budget-exceeded") return { ok: false, failures, budgetSpent: true };
      continue;
    }
    const value = attributeValueOf(name, outcome.value);
    if (value.kind === "refused") fail(name, `attribute "${name}"`, "transform-value", value.reason);
    else attributes.set(name, value.kind === "set" ? value.value : null);
  }
  let data: DataChange = { kind: "kept" };
  if (transform.data !== undefined) {
    const outcome = await run(transform.data, input, budget);
    if (!outcome.ok) {
      fail("data", "data", outcome.code, outcome.reason, outcome.position);
      if (outcome.code === "transform-budget-exceeded") return { ok: false, failures, budgetSpent: true };
    } else {
      const result = dataBytesOf(outcome.value);
      if (result.kind === "refused") fail("data", "data", "transform-value", result.reason);
      else data = result.kind === "json" ? { kind: "replaced", bytes: result.bytes } : { kind: "removed" };
    }
  }
  if (failures.length > 0) return { ok: false, failures, budgetSpent: false };
  return { ok: true, draft: { attributes, data } };
}
