/**
 * CESQL errors: the seven evaluation error kinds of spec section 3.3, which
 * are returned beside a value (evaluation never throws), and the parse error
 * that `compileCesql` throws, located by offset, line and column.
 */

/** The error types every CESQL engine must support (spec 3.3). */
export type CesqlErrorKind =
  | "parse"
  | "math"
  | "cast"
  | "missingAttribute"
  | "missingFunction"
  | "functionEvaluation"
  | "generic";

/** An error collected while evaluating an expression; the expression still has a value. */
export interface CesqlError {
  readonly kind: CesqlErrorKind;
  readonly message: string;
}

export const cesqlError = (kind: CesqlErrorKind, message: string): CesqlError =>
  Object.freeze({ kind, message });

/** Marker checked by duck typing, so the error is recognised across two copies of the package. */
const PARSE_ERROR_CODE = "cesql-parse-error";

/**
 * Thrown by `compileCesql` for an expression that is not valid CESQL. The
 * message names the line and column; `position` is the offset in the string
 * (UTF-16 units, as `String.prototype.slice` counts), `column` counts
 * characters (code points) from the start of the line.
 */
export class CesqlParseError extends Error {
  readonly code = PARSE_ERROR_CODE;
  readonly kind = "parse";
  /** 0-based offset in the expression. */
  readonly position: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in characters. */
  readonly column: number;
  /** The message without the location. */
  readonly detail: string;

  constructor(expression: string, position: number, detail: string) {
    const { line, column } = lineAndColumn(expression, position);
    super(`Invalid CESQL expression at line ${line}, column ${column} (offset ${position}): ${detail}`);
    this.name = "CesqlParseError";
    this.position = position;
    this.line = line;
    this.column = column;
    this.detail = detail;
  }
}

export function isCesqlParseError(value: unknown): value is CesqlParseError {
  return value instanceof Error && (value as { code?: unknown }).code === PARSE_ERROR_CODE;
}

/** Line and column (both 1-based) of an offset; CR, LF and CRLF each end a line. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  let i = 0;
  while (i < offset && i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x0a || (code === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      column = 1;
    } else if (code !== 0x0d) {
      column++;
    }
    // A surrogate pair is one character: step over both halves.
    i += code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
  }
  return { line, column };
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** A value as it appears in an error message: strings quoted and cut short. */
export function describeValue(value: string | number | boolean): string {
  if (typeof value !== "string") return String(value);
  const chars = Array.from(value);
  return JSON.stringify(chars.length > 40 ? `${chars.slice(0, 40).join("")}...` : value);
}
