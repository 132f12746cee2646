/**
 * Plain JSON helpers for the compatibility checker: the kinds of JSON values
 * (numbers split into integers and non-integers, as JSON Schema's `integer`
 * type needs), equality as JSON Schema defines it, and JSON Pointer escaping.
 */

/** A JSON value's kind; `fraction` is a number with a non-zero fractional part. */
export type Kind = "null" | "boolean" | "integer" | "fraction" | "string" | "array" | "object";
export type KindSet = ReadonlySet<Kind>;

export const ALL_KINDS: KindSet = new Set<Kind>([
  "null",
  "boolean",
  "integer",
  "fraction",
  "string",
  "array",
  "object",
]);
export const NUMBER_KINDS: KindSet = new Set<Kind>(["integer", "fraction"]);

const KIND_NAMES: Readonly<Record<Kind, string>> = {
  null: "null",
  boolean: "booleans",
  integer: "integers",
  fraction: "non-integer numbers",
  string: "strings",
  array: "arrays",
  object: "objects",
};

export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The kind of a JSON value; undefined for anything JSON cannot hold (NaN, functions). */
export function kindOf(value: unknown): Kind | undefined {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return "boolean";
    case "number":
      if (!Number.isFinite(value)) return undefined;
      return Number.isInteger(value) ? "integer" : "fraction";
    case "string":
      return "string";
    case "object":
      return Array.isArray(value) ? "array" : "object";
    default:
      return undefined;
  }
}

/** The kinds a `type` keyword value admits; undefined when the value is malformed. */
export function kindsOfType(type: unknown): Set<Kind> | undefined {
  const names = typeof type === "string" ? [type] : Array.isArray(type) ? type : undefined;
  if (names === undefined) return undefined;
  const kinds = new Set<Kind>();
  for (const name of names) {
    if (name === "number") {
      kinds.add("integer");
      kinds.add("fraction");
    } else if (typeof name === "string" && name !== "fraction" && ALL_KINDS.has(name as Kind)) {
      kinds.add(name as Kind);
    } else {
      return undefined;
    }
  }
  return kinds;
}

export function intersectKinds(a: KindSet, b: KindSet): Set<Kind> {
  return new Set([...a].filter((kind) => b.has(kind)));
}

/** "integers and strings", for messages. */
export function describeKinds(kinds: Iterable<Kind>): string {
  const names = [...kinds].map((kind) => KIND_NAMES[kind]);
  if (names.length <= 1) return names[0] ?? "nothing";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** Equality of JSON values as JSON Schema defines it (`enum`, `const`, `uniqueItems`). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}

/** The number of Unicode code points, which is how JSON Schema measures strings. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

export function escapePointer(segment: string | number): string {
  return String(segment).replaceAll("~", "~0").replaceAll("/", "~1");
}

export function unescapePointer(segment: string): string {
  return segment.replaceAll("~1", "/").replaceAll("~0", "~");
}

/** A short rendering of a JSON value for messages. */
export function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
