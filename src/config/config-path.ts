/**
 * Config paths as text (`routes[2].to[0]`) and as segments, both ways. Pure
 * string work, apart from the YAML positions (yaml-positions.ts), so the
 * routing compiler, which the Worker runs, names a path without loading the
 * YAML parser.
 */
export type PathSegment = string | number;

/** `["routes", 2, "to", 0]` -> `routes[2].to[0]`. */
export function formatPath(segments: readonly PathSegment[]): string {
  return segments
    .map((segment, i) => {
      if (typeof segment === "number") return `[${segment}]`;
      const plain = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment);
      if (!plain) return `[${JSON.stringify(segment)}]`;
      return i === 0 ? segment : `.${segment}`;
    })
    .join("");
}

/** `routes[2].to[0]` -> `["routes", 2, "to", 0]` (the inverse of formatPath). */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  for (const match of path.matchAll(/([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(JSON.parse(match[3]) as string);
  }
  return segments;
}
