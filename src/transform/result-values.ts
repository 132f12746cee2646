/**
 * What an expression's result becomes: an attribute's value by the
 * attribute's type, or the data's JSON bytes. Results that have no such form
 * (an object for an attribute, a function, a number that is not finite) are
 * refused with the reason.
 */
import { encodeUtf8 } from "../codec/utf8.js";
import { isCoreAttributeName } from "../event/cloud-event.js";
import type { RawAttributeValue } from "../event/raw-event.js";

export type AttributeResult =
  | { readonly kind: "set"; readonly value: RawAttributeValue }
  /** Nothing or null: the attribute is removed. */
  | { readonly kind: "unset" }
  | { readonly kind: "refused"; readonly reason: string };

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** JSONata hands back its functions and lambdas as marked objects. */
function isFunction(value: object): boolean {
  return typeof value === "function" || "_jsonata_lambda" in value || "_jsonata_function" in value;
}

function describe(value: object): string {
  if (isFunction(value)) return "a function";
  return Array.isArray(value) ? "an array (a path that matched several values?)" : "an object";
}

/**
 * Core attributes are Strings, so numbers and booleans are written as text
 * (1001 is "1001"). Extensions keep their type: an int32 integer is an
 * Integer, a boolean a Boolean; any other number (a fraction, beyond int32)
 * is written as text, since CloudEvents has no other number type.
 */
export function attributeValueOf(name: string, result: unknown): AttributeResult {
  if (result === undefined || result === null) return { kind: "unset" };
  const core = isCoreAttributeName(name);
  switch (typeof result) {
    case "string":
      return { kind: "set", value: { kind: "string", value: result } };
    case "boolean":
      return {
        kind: "set",
        value: core ? { kind: "string", value: String(result) } : { kind: "boolean", value: result },
      };
    case "number": {
      if (!Number.isFinite(result)) return { kind: "refused", reason: `${result} is not a finite number` };
      const integer = Number.isInteger(result) && result >= INT32_MIN && result <= INT32_MAX;
      return {
        kind: "set",
        value:
          integer && !core
            ? { kind: "number", text: String(result) }
            : { kind: "string", value: String(result) },
      };
    }
    case "object":
    case "function":
      return {
        kind: "refused",
        reason: `the result is ${describe(result)}; an attribute is a String${core ? "" : ", Integer or Boolean"}`,
      };
    default:
      return { kind: "refused", reason: `the result is a ${typeof result}` };
  }
}

class NotJson extends Error {}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value))
    throw new NotJson(`${value} is not a finite number`);
  if ((typeof value === "object" && value !== null) || typeof value === "function") {
    if (isFunction(value)) throw new NotJson("the result holds a function");
  }
  return value;
}

export type DataResult =
  | { readonly kind: "json"; readonly bytes: Uint8Array }
  /** The expression yielded nothing: the event has no data. */
  | { readonly kind: "none" }
  | { readonly kind: "refused"; readonly reason: string };

/** The result serialized as JSON (null is the JSON value null, which differs from no data). */
export function dataBytesOf(result: unknown): DataResult {
  if (result === undefined) return { kind: "none" };
  try {
    const text = JSON.stringify(result, jsonSafe);
    if (text === undefined) return { kind: "none" };
    return { kind: "json", bytes: encodeUtf8(text) };
  } catch (error) {
    const reason = error instanceof NotJson ? error.message : "the result cannot be written as JSON";
    return { kind: "refused", reason };
  }
}
