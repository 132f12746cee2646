/**
 * The most common mapping, a plain path such as `body.orderId` or
 * `headers."x-tenant"`, read without JSONata's evaluator. JSONata evaluates
 * every node asynchronously; at 50 concurrent requests the json source spent
 * most of its time there for paths like these. The shortcut covers only
 * what it answers exactly as JSONata would: objects all the way down. A path
 * that meets an array on the way (where JSONata maps over the elements and
 * flattens) goes to JSONata, so the result never differs; a property test
 * compares the two.
 */

/** The marker for "the shortcut cannot tell; ask JSONata". */
export const ASK_JSONATA = Symbol("ask JSONata");

interface PathNode {
  readonly type: string;
  readonly value?: unknown;
  readonly steps?: readonly PathNode[];
}

/** Keys whose presence on a node means more than a plain step (predicates, grouping, focus and so on). */
const PLAIN_KEYS = new Set(["type", "value", "position"]);

/** The names of a path made only of plain name steps, or undefined when the expression is anything else. */
export function plainPathOf(ast: unknown): readonly string[] | undefined {
  const node = ast as PathNode;
  if (node.type !== "path" || node.steps === undefined) return undefined;
  if (Object.keys(node).some((key) => key !== "type" && key !== "steps")) return undefined;
  const names: string[] = [];
  for (const step of node.steps) {
    if (step.type !== "name" || typeof step.value !== "string") return undefined;
    if (Object.keys(step).some((key) => !PLAIN_KEYS.has(key))) return undefined;
    names.push(step.value);
  }
  return names;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Walks `names` from `input`: the value, undefined when a step is missing, or ASK_JSONATA. */
export function readPlainPath(input: unknown, names: readonly string[]): unknown {
  let value: unknown = input;
  for (const name of names) {
    if (Array.isArray(value)) return ASK_JSONATA;
    if (!isPlainObject(value)) return undefined;
    if (!Object.hasOwn(value, name)) return undefined;
    value = value[name];
  }
  // A value at the end is returned as it is, an array included (JSONata does the same).
  return value;
}
