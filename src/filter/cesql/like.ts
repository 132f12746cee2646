/**
 * LIKE patterns (spec 3.4.3): compiled once from the string literal, then
 * matched against the whole value, character by character (code points).
 * No regular expression is built, so pattern text can never inject one, and
 * matching takes at most O(value x pattern) steps, never exponential time.
 */
import { codePoints } from "./characters.js";

/** `_`: exactly one character. */
const ANY_ONE = -1;
/** `%`: zero or more characters. */
const ANY_RUN = -2;

export interface LikePattern {
  /** The pattern as written in the literal. */
  readonly source: string;
  /** Code points to match literally, or ANY_ONE / ANY_RUN. */
  readonly items: readonly number[];
}

/**
 * Escapes, read strictly as spec 3.4.3 words them: a backslash right before
 * `%` or `_` makes that character literal; every other backslash is an
 * ordinary character (`'ab\c'` matches the value `ab\c`), and `\\` is not an
 * escape. This is also how sdk-go reads patterns. The cost: a literal
 * backslash immediately followed by a wildcard cannot be written.
 */
export function compileLikePattern(source: string): LikePattern {
  const chars = codePoints(source);
  const items: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? 0;
    const next = chars[i + 1];
    if (c === 0x5c && (next === 0x25 || next === 0x5f)) {
      items.push(next);
      i++;
    } else if (c === 0x25) {
      // Consecutive %s mean the same as one; keeping one saves backtracking.
      if (items[items.length - 1] !== ANY_RUN) items.push(ANY_RUN);
    } else if (c === 0x5f) {
      items.push(ANY_ONE);
    } else {
      items.push(c);
    }
  }
  return Object.freeze({ source, items: Object.freeze(items) });
}

/**
 * Whole-value match with the classic two-pointer wildcard walk: on a
 * mismatch, retry from the last `%` with one more character consumed by it.
 * Only the last `%` ever needs revisiting, which bounds the work. Positions
 * are UTF-16 offsets stepped a whole code point at a time, so nothing is
 * allocated per match.
 */
export function likeMatches(pattern: LikePattern, value: string): boolean {
  const { items } = pattern;
  let p = 0;
  let t = 0;
  let runAt = -1;
  let runText = 0;
  while (t < value.length) {
    const item = items[p];
    const char = value.codePointAt(t) ?? 0;
    if (item !== undefined && (item === ANY_ONE || item === char)) {
      p++;
      t += char > 0xffff ? 2 : 1;
    } else if (item === ANY_RUN) {
      // A final % takes whatever is left: the common prefix pattern ends here.
      if (p === items.length - 1) return true;
      runAt = p;
      runText = t;
      p++;
    } else if (runAt >= 0) {
      p = runAt + 1;
      runText += (value.codePointAt(runText) ?? 0) > 0xffff ? 2 : 1;
      t = runText;
    } else {
      return false;
    }
  }
  while (items[p] === ANY_RUN) p++;
  return p === items.length;
}
