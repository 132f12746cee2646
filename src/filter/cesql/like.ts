/**
 * LIKE patterns (spec 3.4.3): compiled once from the string literal, then
 * matched against the whole value, character by character (code points).
 * No regular expression is built, so pattern text can never inject one, and
 * matching takes at most O(value x pattern) steps, never exponential time.
 */

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
 * The spec (3.4.3) lets a backslash make `%` or `_` literal. As in SQL, a
 * doubled backslash is one literal backslash, so a pattern can also say
 * "a backslash, then anything" (`'C:\\%'`). A backslash before any other
 * character is an ordinary character, so `'ab\c'` matches the value `ab\c`.
 */
export function compileLikePattern(source: string): LikePattern {
  const chars = codePoints(source);
  const items: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? 0;
    const next = chars[i + 1];
    if (c === 0x5c && (next === 0x25 || next === 0x5f || next === 0x5c)) {
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
 * Only the last `%` ever needs revisiting, which bounds the work.
 */
export function likeMatches(pattern: LikePattern, value: string): boolean {
  const { items } = pattern;
  const text = codePoints(value);
  let p = 0;
  let t = 0;
  let runAt = -1;
  let runText = 0;
  while (t < text.length) {
    const item = items[p];
    if (item !== undefined && (item === ANY_ONE || item === text[t])) {
      p++;
      t++;
    } else if (item === ANY_RUN) {
      runAt = p;
      runText = t;
      p++;
    } else if (runAt >= 0) {
      p = runAt + 1;
      runText++;
      t = runText;
    } else {
      return false;
    }
  }
  while (items[p] === ANY_RUN) p++;
  return p === items.length;
}

/** The code points of a string; a lone surrogate counts as one character. */
export function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0) ?? 0);
  return out;
}
