/**
 * CESQL v1, the CloudEvents SQL expression language (cloudevents/spec
 * cesql@v1.0.0), as a filter for the router. An expression is parsed once,
 * when the configuration loads, and then evaluated per event.
 *
 * @example
 * const filter = compileCesql("type LIKE 'com.example.%' AND INT(priority) > 3");
 * filter.matches(event); // true only for Boolean TRUE with no error
 *
 * @module
 */
import type { CloudEvent } from "../../event/cloud-event.js";
import type { CesqlValue } from "./casts.js";
import { type CesqlError, cesqlError } from "./errors.js";
import { evaluateTree } from "./evaluator.js";
import { parseCesql } from "./parser.js";

export type { CesqlType, CesqlValue } from "./casts.js";
export { type CesqlError, type CesqlErrorKind, CesqlParseError, isCesqlParseError } from "./errors.js";
export { MAX_NESTING } from "./parser.js";

export interface CesqlResult {
  readonly value: CesqlValue;
  /** Empty when evaluation raised no error. */
  readonly errors: readonly CesqlError[];
}

export interface CesqlExpression {
  readonly source: string;
  /** Always returns a value, with the errors met on the way (spec 3.3); never throws. */
  evaluate(event: CloudEvent): CesqlResult;
  /** Subscriptions API semantics: true only when the result is Boolean TRUE with no error. */
  matches(event: CloudEvent): boolean;
}

/** Parses once (at config load time); throws CesqlParseError with position on bad syntax. */
export function compileCesql(expression: string): CesqlExpression {
  if (typeof expression !== "string") throw new TypeError("A CESQL expression must be a string");
  const root = parseCesql(expression);

  const evaluate = (event: CloudEvent): CesqlResult => {
    try {
      const { value, errors } = evaluateTree(root, event);
      return Object.freeze({ value, errors: Object.freeze(errors) });
    } catch (error) {
      // Unreachable for a well-formed event; kept so a filter can never take the gateway down.
      const detail = error instanceof Error ? error.message : String(error);
      return Object.freeze({ value: false, errors: Object.freeze([cesqlError("generic", detail)]) });
    }
  };

  return Object.freeze({
    source: expression,
    evaluate,
    matches: (event: CloudEvent) => {
      const { value, errors } = evaluate(event);
      return value === true && errors.length === 0;
    },
  });
}
