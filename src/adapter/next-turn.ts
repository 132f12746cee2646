/**
 * Resolves on the event loop's next turn, after every pending microtask and
 * the I/O already read has been handled. Node's `setImmediate` where there is
 * one: `setTimeout(0)` is clamped to at least a millisecond there, which a
 * publish that waits for a turn would pay on every call. Elsewhere (workerd)
 * `setTimeout(0)` is that turn.
 */
const schedule: (callback: () => void) => void =
  typeof globalThis.setImmediate === "function"
    ? (callback) => globalThis.setImmediate(callback)
    : (callback) => globalThis.setTimeout(callback, 0);

export function nextTurn(): Promise<void> {
  return new Promise((resolve) => schedule(resolve));
}
