/** Real payloads with one member replaced by a hostile value, for the sources' mappings. */
import { createRequire } from "node:module";
import fc from "fast-check";
/** GitHub's own example payloads, one list per event name. */
export const GITHUB_EXAMPLES = (
  createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: unknown[] }[]
).flatMap((d) => d.examples.map((payload) => ({ event: d.name, payload })));

/** JSON text put in place of one member: values the attribute rules must refuse or read with care. */
export const HOSTILE_MEMBER = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.constantFrom(
    "1e400",
    "-1e400",
    "253402300800",
    "-62135596801",
    "1.5",
    "-0",
    "123456789012345678901234567890",
    '""',
    '" "',
    '"2026-13-45T99:99:99Z"',
    '"not a url with spaces"',
    '"\\ud800"',
    '"\\u0000"',
    '"%ZZ"',
    "null",
    "[]",
    "{}",
  ),
);

const PLACEHOLDER = "\u0000fuzzed-member\u0000";

/** Every path to a member or element of `value`. */
export function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

/** `payload` as JSON text with the member at `path` replaced by `fragment` (raw JSON text). */
export function withMember(payload: unknown, path: (string | number)[], fragment: string): string {
  const copy = structuredClone(payload) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path[path.length - 1] as string | number] = PLACEHOLDER;
  return JSON.stringify(copy).replace(JSON.stringify(PLACEHOLDER), fragment);
}
