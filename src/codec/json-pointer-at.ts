/**
 * The JSON Pointer of the value that starts at a byte offset, found by
 * re-reading the bytes before it. Only run when a body is refused, so the
 * scanner itself never tracks paths. Iterative (a stack of frames, not
 * recursion), so it costs nothing more on a body nested 100,000 deep.
 */
import { decodeJsonString } from "./json-scan.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

interface Frame {
  readonly array: boolean;
  /** The element index, or the current member's name span. */
  index: number;
  nameStart: number;
  nameEnd: number;
  /** In an object: whether the next string is a member name. */
  expectName: boolean;
}

const escapeToken = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");

/** Assumes the bytes before `offset` are a valid JSON prefix (the scanner has read them). */
export function jsonPointerAt(bytes: Uint8Array, offset: number): string {
  const stack: Frame[] = [];
  let pos = 0;
  while (pos < offset) {
    const b = bytes[pos] as number;
    const top = stack[stack.length - 1];
    if (b === QUOTE) {
      const start = pos;
      pos++;
      while (pos < offset && bytes[pos] !== QUOTE) pos += bytes[pos] === BACKSLASH ? 2 : 1;
      if (pos >= offset) break;
      pos++;
      if (top !== undefined && !top.array && top.expectName) {
        top.nameStart = start;
        top.nameEnd = pos;
        top.expectName = false;
      }
      continue;
    }
    if (b === 0x7b || b === 0x5b) {
      stack.push({ array: b === 0x5b, index: 0, nameStart: -1, nameEnd: -1, expectName: b === 0x7b });
    } else if (b === 0x7d || b === 0x5d) {
      stack.pop();
    } else if (b === 0x2c && top !== undefined) {
      if (top.array) top.index++;
      else top.expectName = true;
    }
    pos++;
  }
  let pointer = "";
  for (const frame of stack) {
    if (frame.array) pointer += `/${frame.index}`;
    else if (frame.nameStart >= 0 && !frame.expectName) {
      pointer += `/${escapeToken(decodeJsonString(bytes, { start: frame.nameStart, end: frame.nameEnd }))}`;
    }
  }
  return pointer;
}
