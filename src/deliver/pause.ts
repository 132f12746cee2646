/**
 * The wait between two attempts: on the runtime's deadline timers (one shared
 * wheel on Node, a setTimeout per wait on Workers), cut short when the client
 * goes away, since nobody then waits for the retry.
 */
import type { DeadlineTimers } from "../adapter/deadline-timers.js";

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
export function pause(ms: number, signal: AbortSignal, timers: DeadlineTimers): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const leave = () => {
      cancel();
      resolve(false);
    };
    const cancel = timers.after(ms, () => {
      signal.removeEventListener("abort", leave);
      resolve(true);
    });
    signal.addEventListener("abort", leave, { once: true });
  });
}
