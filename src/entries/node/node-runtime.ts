/**
 * What the Node entry gives adapters beyond the portable runtime: the next
 * turn through `setImmediate`, which, unlike `setTimeout(0)`, is not clamped
 * to a millisecond (a NATS core publish waits for one turn on every call).
 */
import { setImmediate } from "node:timers";
import type { AdapterRuntime } from "../../adapter/adapter.js";

export const nodeRuntime: Partial<AdapterRuntime> = {
  nextTurn: () => new Promise((resolve) => setImmediate(resolve)),
};
