/**
 * Runtime services available on every runtime (Node, workerd, browsers).
 * Entries replace them with better ones (the Node entry writes to
 * process.stdout with backpressure).
 */
import type { AdapterRuntime } from "./adapter.js";
import { perCallTimers } from "./deadline-timers.js";
import { nextTurn } from "./next-turn.js";
import { SharedResources } from "./shared-resources.js";

/** A fresh runtime for one gateway (its shared resources belong to that gateway alone). */
export const portableRuntime = (): AdapterRuntime => ({
  shared: new SharedResources(),
  writeStdout(text) {
    // The stdout target's output is the product, not a log line: console is the one
    // standard-output writer every runtime has.
    // biome-ignore lint/suspicious/noConsole: see above
    console.log(text.endsWith("\n") ? text.slice(0, -1) : text);
  },
  fetch: (input, init) => fetch(input, init),
  nextTurn,
  shareInFlight: false,
  deadlines: perCallTimers,
});
