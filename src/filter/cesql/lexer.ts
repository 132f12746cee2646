/**
 * The CESQL lexer: turns an expression into tokens (spec section 2), each
 * with its offset so the parser can point at the fault. Keywords are
 * case-insensitive; string literals take `'...'` or `"..."`.
 */
import { CesqlParseError } from "./errors.js";

export type Keyword = "AND" | "OR" | "XOR" | "NOT" | "LIKE" | "EXISTS" | "IN" | "TRUE" | "FALSE";

export type Punctuator =
  | "("
  | ")"
  | ","
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "="
  | "!="
  | "<>"
  | "<"
  | "<="
  | ">"
  | ">=";

interface Located {
  /** Offset of the token's first character. */
  readonly start: number;
}

export type Token = Located &
  (
    | { readonly kind: "string"; readonly value: string }
    | { readonly kind: "integer"; readonly digits: string }
    /** An attribute or function name, as written. */
    | { readonly kind: "name"; readonly text: string }
    | { readonly kind: "keyword"; readonly keyword: Keyword }
    | { readonly kind: "punctuator"; readonly punctuator: Punctuator }
    | { readonly kind: "end" }
  );

const KEYWORDS: Readonly<Record<string, Keyword>> = Object.freeze({
  AND: "AND",
  OR: "OR",
  XOR: "XOR",
  NOT: "NOT",
  LIKE: "LIKE",
  EXISTS: "EXISTS",
  IN: "IN",
  TRUE: "TRUE",
  FALSE: "FALSE",
});

const TWO_CHAR_PUNCTUATORS: readonly Punctuator[] = ["!=", "<>", "<=", ">="];
const ONE_CHAR_PUNCTUATORS = "(),+-*/%=<>";

const isWordChar = (c: number) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;

/** Space, tab, CR and LF separate tokens; other characters never do. */
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * Yields tokens on demand, ending with one "end" token, so a parser that
 * gives up early never lexes the rest of a huge input.
 */
export function* tokenize(source: string): Generator<Token, void, undefined> {
  let i = 0;
  while (i < source.length) {
    const c = source.charCodeAt(i);
    if (isSpace(c)) {
      i++;
    } else if (c === 0x27 || c === 0x22) {
      const { value, end } = readString(source, i);
      yield { kind: "string", value, start: i };
      i = end;
    } else if (isWordChar(c)) {
      const start = i;
      while (i < source.length && isWordChar(source.charCodeAt(i))) i++;
      yield classifyWord(source.slice(start, i), start);
    } else {
      const two = source.slice(i, i + 2);
      const one = source.charAt(i);
      if ((TWO_CHAR_PUNCTUATORS as readonly string[]).includes(two)) {
        yield { kind: "punctuator", punctuator: two as Punctuator, start: i };
        i += 2;
      } else if (ONE_CHAR_PUNCTUATORS.includes(one)) {
        yield { kind: "punctuator", punctuator: one as Punctuator, start: i };
        i += 1;
      } else {
        throw new CesqlParseError(source, i, `unexpected character ${describeChar(source, i)}`);
      }
    }
  }
  yield { kind: "end", start: source.length };
}

function classifyWord(word: string, start: number): Token {
  const upper = word.toUpperCase();
  const keyword = Object.hasOwn(KEYWORDS, upper) ? KEYWORDS[upper] : undefined;
  if (keyword !== undefined) return { kind: "keyword", keyword, start };
  if (/^[0-9]+$/.test(word)) return { kind: "integer", digits: word, start };
  return { kind: "name", text: word, start };
}

/**
 * Reads a string literal starting at its opening quote. Per the grammar
 * (spec 2.2) the only escape is a backslash before the delimiting quote.
 * Any other backslash is kept as written, together with the character after
 * it, so `\%` and `\_` reach LIKE intact and `'a\\'` (value `a\\`) ends at its
 * last quote. sdk-go reads literals the same way. The grammar leaves no way
 * to write a string ending in one backslash, or a backslash before its quote.
 */
function readString(source: string, open: number): { value: string; end: number } {
  const quote = source.charCodeAt(open);
  let value = "";
  let segment = open + 1;
  let i = open + 1;
  while (i < source.length) {
    const c = source.charCodeAt(i);
    if (c === quote) {
      return { value: value + source.slice(segment, i), end: i + 1 };
    }
    if (c === 0x5c && i + 1 < source.length) {
      if (source.charCodeAt(i + 1) === quote) {
        value += source.slice(segment, i) + source.charAt(i + 1);
        i += 2;
        segment = i;
        continue;
      }
      i += 2;
      continue;
    }
    i++;
  }
  throw new CesqlParseError(source, open, "unterminated string literal");
}

function describeChar(source: string, i: number): string {
  const code = source.codePointAt(i) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return code >= 0x21 && code <= 0x7e ? `'${String.fromCodePoint(code)}'` : hex;
}

/** A token as error messages name it. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case "string":
      return "a string literal";
    case "integer":
      return `the integer ${token.digits}`;
    case "name":
      return `'${token.text}'`;
    case "keyword":
      return token.keyword;
    case "punctuator":
      return `'${token.punctuator}'`;
    case "end":
      return "the end of the expression";
  }
}
