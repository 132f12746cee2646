/**
 * Finds where a config path (`routes[2].to[0]`) stands in the YAML text, so
 * every error can name its line and column.
 */
import { type Document, isMap, isNode, isScalar, type LineCounter } from "yaml";
import type { PathSegment } from "./config-path.js";

export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * The position of the value at `segments`, or of its key when `atKey` (for
 * unknown keys); the nearest existing ancestor when the path is absent.
 */
export function positionOf(
  document: Document,
  lineCounter: LineCounter,
  segments: readonly PathSegment[],
  atKey = false,
): Position | undefined {
  for (let length = segments.length; length >= 0; length--) {
    const path = segments.slice(0, length);
    let offset: number | undefined;
    if (atKey && length === segments.length && length > 0) {
      const parent = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path.at(-1));
        if (pair !== undefined && isNode(pair.key)) offset = pair.key.range?.[0];
      }
    } else {
      const node = length === 0 ? document.contents : document.getIn(path, true);
      if (isNode(node)) offset = node.range?.[0];
    }
    if (offset !== undefined) {
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    }
  }
  return undefined;
}
