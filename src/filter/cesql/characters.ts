/**
 * Strings as CESQL counts them: a String is a sequence of Unicode characters
 * (spec 3.1), so lengths and positions are in code points, never UTF-16
 * units. A lone surrogate counts as one character.
 */

export function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0) ?? 0);
  return out;
}

export function fromCodePoints(chars: readonly number[]): string {
  let out = "";
  for (const c of chars) out += String.fromCodePoint(c);
  return out;
}
