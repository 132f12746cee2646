/**
 * Shared pieces for the CESQL tests: a valid event with chosen extensions,
 * and a one-call evaluate that returns the value and the error kinds.
 */
import {
  type AttributeValue,
  type CoreAttributes,
  createCloudEvent,
} from "../../../src/event/cloud-event.js";
import { type CesqlValue, compileCesql } from "../../../src/filter/cesql/index.js";

export function testEvent(
  extensions: Record<string, AttributeValue> = {},
  core: Partial<CoreAttributes> = {},
) {
  return createCloudEvent({
    attributes: { specversion: "1.0", id: "id-1", source: "/tests", type: "com.example.test", ...core },
    extensions: new Map(Object.entries(extensions)),
  });
}

/** Compiles and evaluates in one go: the value and the kinds of the errors, in order. */
export function run(expression: string, event = testEvent()): { value: CesqlValue; errors: string[] } {
  const { value, errors } = compileCesql(expression).evaluate(event);
  return { value, errors: errors.map((e) => e.kind) };
}

/** The value, asserting no error was raised. */
export function cleanValue(expression: string, event = testEvent()): CesqlValue {
  const { value, errors } = run(expression, event);
  if (errors.length > 0) throw new Error(`${expression} raised ${errors.join(", ")}`);
  return value;
}

/** The error thrown by compiling, or undefined. */
export function parseErrorOf(expression: string): unknown {
  try {
    compileCesql(expression);
    return undefined;
  } catch (error) {
    return error;
  }
}
