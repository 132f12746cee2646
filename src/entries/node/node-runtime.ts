/**
 * What the Node entry gives adapters beyond the portable runtime: the next
 * turn through `setImmediate`, which, unlike `setTimeout(0)`, is not clamped
 * to a millisecond (a NATS core publish waits for one turn on every call),
 * and work shared between requests (one token request for concurrent callers).
 */
import { setImmediate } from "node:timers";
import type { AdapterRuntime } from "../../adapter/adapter.js";
import { deadlineWheel } from "../../adapter/deadline-timers.js";

export const nodeRuntime: Partial<AdapterRuntime> = {
  nextTurn: () => new Promise((resolve) => setImmediate(resolve)),
  // Node lets any request await what another started: concurrent callers share one token request.
  shareInFlight: true,
  // One timer for every attempt's deadline instead of one each (src/adapter/deadline-timers.ts).
  deadlines: deadlineWheel(),
};
