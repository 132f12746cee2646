/**
 * One delivery attempt to one target: its deadline (the request's deadline or
 * the target's timeout, whichever comes first, read from the injected clock)
 * and the one AbortSignal every wait of the attempt is bounded by. Adapters
 * receive both and keep no timeout of their own.
 */
import type { Context } from "@opentelemetry/api";
import type { PublishOptions } from "../adapter/adapter.js";
import { type DeadlineTimers, perCallTimers } from "../adapter/deadline-timers.js";
import type { RequestContext } from "../context/request-context.js";

export const CLIENT_GONE = "The client went away before delivery finished";
export const REQUEST_DEADLINE_PASSED = "The delivery deadline passed";
export const targetTimedOut = (timeoutMs: number) =>
  `The target did not answer within its timeout of ${timeoutMs} ms`;

export interface Attempt extends PublishOptions {
  /** The request's trace context, under which the attempt's span starts; absent: a root (an outbox record). */
  readonly telemetry: Context | undefined;
  /** Resolves with why the attempt ended early, so an adapter that ignores the signal cannot hold the request. */
  readonly ended: Promise<string>;
  /** Stops the timer and the watch on the client; call when the attempt is over. */
  dispose(): void;
}

/**
 * `budgetDeadline` is when all attempts of the request must be over: the
 * request's own deadline unless its routes set a shorter budget.
 */
export function openAttempt(
  ctx: Pick<RequestContext, "clock" | "deadline" | "signal" | "telemetry">,
  timeoutMs: number,
  timers: DeadlineTimers = perCallTimers,
  budgetDeadline: number = ctx.deadline,
): Attempt {
  const now = ctx.clock.now();
  const endedByTarget = now + timeoutMs < budgetDeadline;
  const deadline = endedByTarget ? now + timeoutMs : budgetDeadline;
  const controller = new AbortController();
  let resolveEnded: (reason: string) => void = () => {};
  const ended = new Promise<string>((resolve) => {
    resolveEnded = resolve;
  });
  const end = (reason: DOMException) => {
    if (controller.signal.aborted) return;
    controller.abort(reason);
    resolveEnded(reason.message);
  };
  const expire = () =>
    end(
      new DOMException(endedByTarget ? targetTimedOut(timeoutMs) : REQUEST_DEADLINE_PASSED, "TimeoutError"),
    );
  const leave = () => end(new DOMException(CLIENT_GONE, "AbortError"));

  let cancelTimer: (() => void) | undefined;
  if (ctx.signal.aborted) leave();
  else if (deadline <= now) expire();
  else {
    cancelTimer = timers.after(deadline - now, expire);
    ctx.signal.addEventListener("abort", leave, { once: true });
  }
  return {
    signal: controller.signal,
    deadline,
    telemetry: ctx.telemetry,
    ended,
    dispose() {
      cancelTimer?.();
      ctx.signal.removeEventListener("abort", leave);
    },
  };
}
