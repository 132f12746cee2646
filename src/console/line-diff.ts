/**
 * A line diff of two texts (two schema versions, pretty-printed), by longest
 * common subsequence. Hand-written: schemas are short, so the quadratic table
 * is small, and it spares a dependency for a dozen lines. Texts longer than
 * MAX_LINES each are compared as a whole.
 */
export type DiffLine = { readonly op: " " | "-" | "+"; readonly text: string };

const MAX_LINES = 2_000;

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split("\n");
  const b = after.split("\n");
  if (a.length > MAX_LINES || b.length > MAX_LINES) {
    return [
      ...a.map((text) => ({ op: "-" as const, text })),
      ...b.map((text) => ({ op: "+" as const, text })),
    ];
  }
  // common[i][j]: the longest common subsequence of a[i..] and b[j..].
  const common = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    const row = common[i] as Uint16Array;
    const below = common[i + 1] as Uint16Array;
    for (let j = b.length - 1; j >= 0; j--) {
      row[j] =
        a[i] === b[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      lines.push({ op: " ", text: a[i++] as string });
      j++;
    } else if ((common[i + 1]?.[j] ?? 0) >= (common[i]?.[j + 1] ?? 0)) {
      lines.push({ op: "-", text: a[i++] as string });
    } else {
      lines.push({ op: "+", text: b[j++] as string });
    }
  }
  while (i < a.length) lines.push({ op: "-", text: a[i++] as string });
  while (j < b.length) lines.push({ op: "+", text: b[j++] as string });
  return lines;
}
