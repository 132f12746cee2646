/**
 * A source's `event:` mapping: one JSONata expression per attribute over
 * `{ body, headers, query }`, compiled when the config loads, evaluated per
 * event. Values become attribute values by the attribute's type: core
 * attributes are Strings (the number 1001 becomes "1001"), extensions keep
 * int32 integers and booleans (other numbers become their text); an object, a list or several values is refused,
 * naming the attribute, never stringified.
 */
import type { FieldFailure } from "../errors/errors.js";
import { isCoreAttributeName } from "../event/cloud-event.js";
import type { RawAttribute, RawAttributeValue } from "../event/raw-event.js";
import {
  type CompiledExpression,
  compileExpression,
  ExpressionError,
} from "../expression/compile-expression.js";
import { type ExpressionBudget, ExpressionBudgetExceeded } from "../expression/expression-budget.js";
import { SourceOptionError } from "./source.js";

/** The names a mapping expression may start a path at. */
export const SOURCE_INPUT_ROOTS: ReadonlySet<string> = new Set(["body", "headers", "query"]);

/** What a mapping expression reads. */
export interface SourceInput {
  /** The parsed body, or the array element this event comes from. */
  readonly body: unknown;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | readonly string[]>>;
}

export interface AttributeMapping {
  readonly name: string;
  readonly expression: CompiledExpression;
}

export type EventMapping = readonly AttributeMapping[];

const ATTRIBUTE_NAME = /^[a-z0-9]{1,20}$/;

/**
 * Compiles `{ attribute: expression }`; throws an AggregateError of
 * SourceOptionError (path under the source's options) for every expression
 * that does not compile or reads from outside the input.
 */
export function compileEventMapping(
  spec: Readonly<Record<string, string>>,
  at: readonly (string | number)[],
): EventMapping {
  const mapping: AttributeMapping[] = [];
  const errors: SourceOptionError[] = [];
  for (const [name, text] of Object.entries(spec)) {
    if (!ATTRIBUTE_NAME.test(name) || name === "data") {
      errors.push(
        new SourceOptionError(
          [...at, name],
          `"${name}" is not a CloudEvents attribute name (a-z, 0-9, at most 20)`,
        ),
      );
      continue;
    }
    if (name === "specversion") {
      errors.push(new SourceOptionError([...at, name], "specversion is always 1.0 and cannot be mapped"));
      continue;
    }
    try {
      mapping.push({ name, expression: compileExpression(text, { roots: SOURCE_INPUT_ROOTS }) });
    } catch (thrown) {
      if (!(thrown instanceof ExpressionError)) throw thrown;
      errors.push(
        new SourceOptionError(
          [...at, name],
          `${thrown.message}${thrown.position === undefined ? "" : ` (at character ${thrown.position})`}`,
          thrown.position === undefined ? undefined : { line: 1, column: thrown.position },
        ),
      );
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, "The event mapping does not compile");
  return mapping;
}

export interface MappedAttributes {
  readonly attributes: RawAttribute[];
  readonly failures: FieldFailure[];
}

function describeKind(value: unknown): string {
  if (Array.isArray(value)) return value.length > 1 ? `${value.length} values` : "a list";
  return `an ${typeof value === "object" ? "object" : typeof value}`;
}

/** A mapped value as a raw attribute value, by the attribute's type; undefined when it cannot be one. */
function toAttributeValue(name: string, value: unknown): RawAttributeValue | undefined {
  const core = isCoreAttributeName(name);
  switch (typeof value) {
    case "string":
      return { kind: "string", value };
    case "number":
      if (!Number.isFinite(value)) return undefined;
      // An int32 extension stays an Integer; anything else is JSON's text for the number
      // (1001 -> "1001", 1.5 -> "1.5"): CloudEvents has no other number type, and a sender's
      // fractional amount is no reason to refuse its webhook. Transforms follow the same rule.
      return !core && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31
        ? { kind: "number", text: JSON.stringify(value) }
        : { kind: "string", value: JSON.stringify(value) };
    case "boolean":
      return core ? { kind: "string", value: String(value) } : { kind: "boolean", value };
    default:
      return undefined;
  }
}

/**
 * Evaluates every attribute's expression for one event. An attribute whose
 * expression yields nothing (or null) is left out; the caller decides which
 * of those are required. Expression failures and unusable values are
 * failures naming the attribute; a spent budget is thrown.
 */
export async function mapAttributes(
  mapping: EventMapping,
  input: SourceInput,
  budget: ExpressionBudget,
  event: { readonly index: number; readonly pointerPrefix: string },
): Promise<MappedAttributes> {
  const attributes: RawAttribute[] = [];
  const failures: FieldFailure[] = [];
  for (const { name, expression } of mapping) {
    const pointer = `${event.pointerPrefix}/${name}`;
    let value: unknown;
    try {
      value =
        expression.constant !== undefined
          ? expression.constant.value
          : await expression.evaluate(input, budget);
    } catch (thrown) {
      if (thrown instanceof ExpressionBudgetExceeded) throw thrown;
      failures.push({
        index: event.index,
        pointer,
        code: "expression-failed",
        detail: `${name}: "${expression.text}" failed: ${(thrown as Error).message}`,
      });
      continue;
    }
    if (value === undefined || value === null) continue;
    const converted = toAttributeValue(name, value);
    if (converted === undefined) {
      failures.push({
        index: event.index,
        pointer,
        code: "unmappable-value",
        detail: `${name}: "${expression.text}" yields ${describeKind(value)}; ${name} needs a ${isCoreAttributeName(name) ? "string or number" : "string, number or boolean"}`,
      });
      continue;
    }
    attributes.push({ name, value: converted, pointer });
  }
  return { attributes, failures };
}

/** The failure for a required attribute that nothing produced. */
export function unmappedAttribute(
  name: string,
  mapping: EventMapping,
  event: { readonly index: number; readonly pointerPrefix: string },
): FieldFailure {
  const expression = mapping.find((m) => m.name === name)?.expression;
  return {
    index: event.index,
    pointer: `${event.pointerPrefix}/${name}`,
    code: "unmapped-attribute",
    detail:
      expression === undefined
        ? `${name} is required and the source maps nothing to it`
        : `${name} is required and "${expression.text}" yields nothing for this request`,
  };
}
