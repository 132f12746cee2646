/**
 * The CESQL type system (spec 3.1) and its casts (spec 3.7): String, Integer
 * (int32) and Boolean, their zero values, and the six casts between them.
 * A failed cast reports a CastError and yields the target type's zero value.
 */
import { type CesqlError, cesqlError, describeValue } from "./errors.js";

/** A CESQL value: String, Integer (a signed 32-bit integer) or Boolean. */
export type CesqlValue = string | number | boolean;

export type CesqlType = "String" | "Integer" | "Boolean";

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

export const isInt32 = (n: number): boolean => Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX;

export function typeOf(value: CesqlValue): CesqlType {
  if (typeof value === "string") return "String";
  if (typeof value === "number") return "Integer";
  return "Boolean";
}

export function zeroValue(type: CesqlType): CesqlValue {
  if (type === "String") return "";
  if (type === "Integer") return 0;
  return false;
}

/**
 * Reads a string as a base-10 int32 with an optional sign, nothing else (no
 * spaces, no fraction, no exponent); undefined when it is not one.
 */
export function parseInt32(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  // Long digit strings lose precision as a double, but they are out of range anyway.
  const n = Number(text);
  return isInt32(n) ? n | 0 : undefined;
}

/** Integer -> String and Boolean -> String never fail. */
export function castToString(value: CesqlValue): string {
  if (typeof value === "string") return value;
  return String(value);
}

/** String -> Integer may fail; Boolean -> Integer is 1 or 0. */
export function castToInteger(value: CesqlValue, errors: CesqlError[]): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  const n = parseInt32(value);
  if (n !== undefined) return n;
  errors.push(castError(value, "Integer"));
  return 0;
}

/** String -> Boolean accepts "true" and "false" in any case; Integer -> Boolean is `x != 0`. */
export function castToBoolean(value: CesqlValue, errors: CesqlError[]): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  const lower = value.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  errors.push(castError(value, "Boolean"));
  return false;
}

export function castTo(value: CesqlValue, type: CesqlType, errors: CesqlError[]): CesqlValue {
  if (type === "String") return castToString(value);
  if (type === "Integer") return castToInteger(value, errors);
  return castToBoolean(value, errors);
}

const castError = (value: string, type: CesqlType) =>
  cesqlError("cast", `cannot cast the String ${describeValue(value)} to ${type}`);
