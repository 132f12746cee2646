/**
 * A validating JSON scanner that reports where values are, not what they are.
 *
 * Why not JSON.parse: the gateway must forward an event's `data` exactly as it
 * arrived. Parsing and re-serializing turns `1.0` into `1`, rounds integers
 * above 2^53 and moves integer-like keys to the front of objects. The scanner
 * checks the full RFC 8259 grammar (and that strings are valid UTF-8) over the
 * raw bytes and returns byte offsets, so `data` can be kept as the original
 * bytes and only small attribute values are ever parsed.
 */
import { JsonLimitError, type JsonLimits, UNLIMITED_JSON } from "./json-limits.js";
import { utf8SequenceLength } from "./utf8.js";

export type JsonKind = "object" | "array" | "string" | "number" | "true" | "false" | "null";

/** A value's position in the scanned bytes: [start, end). */
export interface JsonSpan {
  readonly start: number;
  readonly end: number;
  readonly kind: JsonKind;
}

export interface JsonMember {
  readonly name: string;
  readonly value: JsonSpan;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = "JsonSyntaxError";
  }
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const isWhitespace = (b: number | undefined) => b === SPACE || b === TAB || b === LF || b === CR;
const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;
const isHex = (b: number | undefined) =>
  b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));

class Scanner {
  private readonly maxDepth: number;
  private readonly maxStringBytes: number;

  constructor(
    readonly bytes: Uint8Array,
    limits: JsonLimits = UNLIMITED_JSON,
  ) {
    // Never deeper than the hard cap, whatever the caller asks: the scan recurses once per level.
    this.maxDepth = Math.min(limits.maxDepth, UNLIMITED_JSON.maxDepth);
    this.maxStringBytes = limits.maxStringBytes;
  }

  skipWhitespace(pos: number): number {
    while (isWhitespace(this.bytes[pos])) pos++;
    return pos;
  }

  /** Scans one value starting exactly at `pos`; returns its span. */
  value(pos: number, depth: number): JsonSpan {
    const b = this.bytes[pos];
    if (b === undefined) throw new JsonSyntaxError("Unexpected end of input", pos);
    switch (b) {
      case 0x7b:
        return { start: pos, end: this.object(pos, depth + 1), kind: "object" };
      case 0x5b:
        return { start: pos, end: this.array(pos, depth + 1), kind: "array" };
      case QUOTE:
        return { start: pos, end: this.string(pos), kind: "string" };
      case 0x74:
        return { start: pos, end: this.literal(pos, "true"), kind: "true" };
      case 0x66:
        return { start: pos, end: this.literal(pos, "false"), kind: "false" };
      case 0x6e:
        return { start: pos, end: this.literal(pos, "null"), kind: "null" };
      default:
        if (b === 0x2d || isDigit(b)) return { start: pos, end: this.number(pos), kind: "number" };
        throw new JsonSyntaxError(`Unexpected character ${JSON.stringify(String.fromCharCode(b))}`, pos);
    }
  }

  private checkDepth(depth: number, pos: number) {
    if (depth > this.maxDepth) throw new JsonLimitError("json-too-deep", this.maxDepth, pos);
  }

  /** Calls `onMember` for each member of the object at `pos`; returns the end offset. */
  object(
    pos: number,
    depth: number,
    onMember?: (nameStart: number, nameEnd: number, value: JsonSpan) => void,
  ) {
    this.checkDepth(depth, pos);
    pos = this.skipWhitespace(pos + 1);
    if (this.bytes[pos] === 0x7d) return pos + 1;
    for (;;) {
      if (this.bytes[pos] !== QUOTE) throw new JsonSyntaxError("Expected a member name", pos);
      const nameStart = pos;
      const nameEnd = this.string(pos);
      pos = this.skipWhitespace(nameEnd);
      if (this.bytes[pos] !== 0x3a) throw new JsonSyntaxError("Expected ':'", pos);
      pos = this.skipWhitespace(pos + 1);
      const value = this.value(pos, depth);
      onMember?.(nameStart, nameEnd, value);
      pos = this.skipWhitespace(value.end);
      const next = this.bytes[pos];
      if (next === 0x7d) return pos + 1;
      if (next !== 0x2c) throw new JsonSyntaxError("Expected ',' or '}'", pos);
      pos = this.skipWhitespace(pos + 1);
    }
  }

  /**
   * Scans the array at `pos` (each element with `element`, by default a plain
   * value scan); returns the end offset.
   */
  array(
    pos: number,
    depth: number,
    element: (pos: number, depth: number) => { end: number } = (p, d) => this.value(p, d),
  ) {
    this.checkDepth(depth, pos);
    pos = this.skipWhitespace(pos + 1);
    if (this.bytes[pos] === 0x5d) return pos + 1;
    for (;;) {
      const value = element(pos, depth);
      pos = this.skipWhitespace(value.end);
      const next = this.bytes[pos];
      if (next === 0x5d) return pos + 1;
      if (next !== 0x2c) throw new JsonSyntaxError("Expected ',' or ']'", pos);
      pos = this.skipWhitespace(pos + 1);
    }
  }

  string(pos: number): number {
    const bytes = this.bytes;
    const start = pos;
    pos++;
    for (;;) {
      const b = bytes[pos];
      if (b === undefined) throw new JsonSyntaxError("Unterminated string", pos);
      if (b === QUOTE) {
        // Measured once at the closing quote: the bytes between the quotes, escapes as sent.
        if (pos - start - 1 > this.maxStringBytes) {
          throw new JsonLimitError("json-string-too-long", this.maxStringBytes, start);
        }
        return pos + 1;
      }
      if (b < 0x20) throw new JsonSyntaxError("Control character in string", pos);
      if (b === BACKSLASH) {
        const e = bytes[pos + 1];
        if (e === 0x75) {
          if (
            !(
              isHex(bytes[pos + 2]) &&
              isHex(bytes[pos + 3]) &&
              isHex(bytes[pos + 4]) &&
              isHex(bytes[pos + 5])
            )
          ) {
            throw new JsonSyntaxError("Invalid \\u escape", pos);
          }
          pos += 6;
        } else if (
          e === QUOTE ||
          e === BACKSLASH ||
          e === 0x2f ||
          e === 0x62 ||
          e === 0x66 ||
          e === 0x6e ||
          e === 0x72 ||
          e === 0x74
        ) {
          pos += 2;
        } else {
          throw new JsonSyntaxError("Invalid escape", pos);
        }
      } else if (b < 0x80) {
        pos++;
      } else {
        const length = utf8SequenceLength(bytes, pos);
        if (length === 0) throw new JsonSyntaxError("Invalid UTF-8", pos);
        pos += length;
      }
    }
  }

  number(pos: number): number {
    const bytes = this.bytes;
    const start = pos;
    if (bytes[pos] === 0x2d) pos++;
    if (bytes[pos] === 0x30) pos++;
    else if (isDigit(bytes[pos])) while (isDigit(bytes[pos])) pos++;
    else throw new JsonSyntaxError("Invalid number", start);
    if (bytes[pos] === 0x2e) {
      pos++;
      if (!isDigit(bytes[pos])) throw new JsonSyntaxError("Invalid number", start);
      while (isDigit(bytes[pos])) pos++;
    }
    if (bytes[pos] === 0x65 || bytes[pos] === 0x45) {
      pos++;
      if (bytes[pos] === 0x2b || bytes[pos] === 0x2d) pos++;
      if (!isDigit(bytes[pos])) throw new JsonSyntaxError("Invalid number", start);
      while (isDigit(bytes[pos])) pos++;
    }
    return pos;
  }

  literal(pos: number, word: string): number {
    for (let i = 0; i < word.length; i++) {
      if (this.bytes[pos + i] !== word.charCodeAt(i)) throw new JsonSyntaxError("Invalid literal", pos);
    }
    return pos + word.length;
  }
}

const textDecoder = new TextDecoder();

/** Decodes a scanned JSON string span (quotes included) to its value. */
export function decodeJsonString(bytes: Uint8Array, span: { start: number; end: number }): string {
  // Hot path (every member name and attribute): plain ASCII without escapes maps byte to char.
  let plain = span.end - span.start < 256;
  for (let i = span.start + 1; plain && i < span.end - 1; i++) {
    const b = bytes[i] as number;
    if (b === BACKSLASH || b >= 0x80) plain = false;
  }
  if (plain) {
    let text = "";
    for (let i = span.start + 1; i < span.end - 1; i++) text += String.fromCharCode(bytes[i] as number);
    return text;
  }
  // Otherwise JSON.parse handles escapes and surrogates exactly.
  return JSON.parse(textDecoder.decode(bytes.subarray(span.start, span.end))) as string;
}

/** The text of a scanned span (numbers, literals). */
export function spanText(bytes: Uint8Array, span: { start: number; end: number }): string {
  return textDecoder.decode(bytes.subarray(span.start, span.end));
}

const hasBom = (bytes: Uint8Array) => bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;

/** The bytes without a leading UTF-8 byte order mark (RFC 8259 lets parsers ignore one). */
export const withoutBom = (bytes: Uint8Array): Uint8Array => (hasBom(bytes) ? bytes.subarray(3) : bytes);

function documentStart(scanner: Scanner, bytes: Uint8Array): number {
  return scanner.skipWhitespace(hasBom(bytes) ? 3 : 0);
}

function documentEnd(scanner: Scanner, bytes: Uint8Array, valueEnd: number): void {
  const end = scanner.skipWhitespace(valueEnd);
  if (end !== bytes.length) throw new JsonSyntaxError("Unexpected data after the JSON value", end);
}

/**
 * Validates a whole JSON document (optional UTF-8 BOM and surrounding
 * whitespace allowed) and returns the span of its top-level value.
 */
export function scanJsonDocument(bytes: Uint8Array, limits?: JsonLimits): JsonSpan {
  const scanner = new Scanner(bytes, limits);
  const span = scanner.value(documentStart(scanner, bytes), 0);
  documentEnd(scanner, bytes, span.end);
  return span;
}

/** A scanned value and, when it is an object, its members in order (duplicates included). */
export interface ScannedValue {
  readonly span: JsonSpan;
  readonly members: readonly JsonMember[] | undefined;
}

function scanWithMembers(scanner: Scanner, pos: number, depth: number): ScannedValue {
  if (scanner.bytes[pos] !== 0x7b) return { span: scanner.value(pos, depth), members: undefined };
  const members: JsonMember[] = [];
  const end = scanner.object(pos, depth + 1, (nameStart, nameEnd, value) => {
    members.push({ name: decodeJsonString(scanner.bytes, { start: nameStart, end: nameEnd }), value });
  });
  return { span: { start: pos, end, kind: "object" }, members };
}

/** Scans a document in one pass, collecting the top-level object's members. */
export function scanJsonObjectDocument(bytes: Uint8Array, limits?: JsonLimits): ScannedValue {
  const scanner = new Scanner(bytes, limits);
  const scanned = scanWithMembers(scanner, documentStart(scanner, bytes), 0);
  documentEnd(scanner, bytes, scanned.span.end);
  return scanned;
}

/** Thrown when an array has more elements than the caller allows: scanning stops there. */
export class TooManyElementsError extends Error {
  constructor(readonly limit: number) {
    super(`The array has more than ${limit} elements`);
    this.name = "TooManyElementsError";
  }
}

/**
 * Scans a document in one pass; when it is an array, collects its elements
 * and the members of those that are objects (a CloudEvents batch). With
 * `maxElements`, throws TooManyElementsError at the first element beyond it,
 * so a long array costs no more than the limit allows.
 */
export function scanJsonArrayDocument(
  bytes: Uint8Array,
  maxElements = Number.POSITIVE_INFINITY,
  limits?: JsonLimits,
): {
  span: JsonSpan;
  elements: ScannedValue[] | undefined;
} {
  const scanner = new Scanner(bytes, limits);
  const start = documentStart(scanner, bytes);
  if (bytes[start] !== 0x5b) {
    const span = scanner.value(start, 0);
    documentEnd(scanner, bytes, span.end);
    return { span, elements: undefined };
  }
  const elements: ScannedValue[] = [];
  const end = scanner.array(start, 1, (pos, depth) => {
    if (elements.length >= maxElements) throw new TooManyElementsError(maxElements);
    const element = scanWithMembers(scanner, pos, depth);
    elements.push(element);
    return element.span;
  });
  documentEnd(scanner, bytes, end);
  return { span: { start, end, kind: "array" }, elements };
}

/**
 * Removes insignificant whitespace (outside strings) from valid JSON bytes.
 * Everything else, number text and member order included, stays as it was:
 * used to write an event on one line without re-serializing it.
 */
export function stripJsonWhitespace(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let length = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (inString) {
      out[length++] = b;
      if (b === BACKSLASH) out[length++] = bytes[++i] as number;
      else if (b === QUOTE) inString = false;
    } else if (!isWhitespace(b)) {
      out[length++] = b;
      if (b === QUOTE) inString = true;
    }
  }
  return out.subarray(0, length);
}
