/**
 * The portable next turn: `setTimeout(0)`, which every runtime has (in
 * workerd it is that turn). Entries with something better inject it through
 * AdapterRuntime.nextTurn (Node: `setImmediate`, see entries/node).
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => globalThis.setTimeout(resolve, 0));
}
