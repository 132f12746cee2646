/**
 * Publish options for tests that drive an adapter directly: an attempt made
 * as the delivery layer makes it, with a target timeout of `timeoutMs` and a
 * request deadline well after it.
 */
import type { PublishOptions } from "../../src/adapter/adapter.js";
import { systemClock } from "../../src/context/request-context.js";
import { openAttempt } from "../../src/deliver/attempt.js";

export function attemptOptions(
  timeoutMs = 10_000,
  client: AbortSignal = new AbortController().signal,
): PublishOptions {
  const { signal, deadline } = openAttempt(
    { clock: systemClock, deadline: systemClock.now() + timeoutMs + 60_000, signal: client },
    timeoutMs,
  );
  return { signal, deadline };
}
