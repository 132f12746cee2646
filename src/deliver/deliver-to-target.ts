/**
 * Every attempt one request makes to one target: the target's guard admits
 * each attempt (or refuses it at once: circuit open, too many in flight),
 * each attempt is bounded by the target's timeout and the request's budget
 * (./attempt.ts), and what failed retriably goes again after a backoff while
 * its policy allows and the budget lasts (./delivery-policy.ts). One publish
 * call per attempt carries every message of the group still pending.
 */

import type { OutboundMessage } from "../adapter/adapter.js";
import { type PublishOutcome, retriable } from "../adapter/adapter.js";
import type { DeadlineTimers } from "../adapter/deadline-timers.js";
import type { TargetRegistry } from "../adapter/target-registry.js";
import type { RequestContext } from "../context/request-context.js";
import { openAttempt } from "./attempt.js";
import { backoffDelayMs, type RetryPolicy } from "./delivery-policy.js";
import { pause } from "./pause.js";
import { publishWithin } from "./publish-within.js";
import { isRefusal, type Permit, type TargetGuard } from "./target-guard.js";

export interface TargetDeliveryDeps {
  readonly targets: TargetRegistry;
  readonly timers: DeadlineTimers;
  /** For the backoff's jitter; injectable so tests can pin it. */
  readonly random: () => number;
}

/** What became of one message after all its attempts. */
export interface AttemptedDelivery {
  readonly outcome: PublishOutcome;
  /** Attempts that reached the adapter (0: refused by the guard before any). */
  readonly attempts: number;
  /** When its first and last attempts started (epoch ms); undefined without an attempt. */
  readonly firstAttemptAt: number | undefined;
  readonly lastAttemptAt: number | undefined;
}

export const budgetRanOut = (reason: string, attempts: number) =>
  `${reason} (gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}: the request's delivery budget would run out before the next)`;

/** Tells the guard what the attempt said of the target. */
function settle(permit: Permit, outcomes: readonly PublishOutcome[], signal: AbortSignal): void {
  if (outcomes.some((o) => o.status !== "retriable")) permit.answered();
  else if (signal.aborted && (signal.reason as DOMException | undefined)?.name === "AbortError")
    permit.abandoned();
  else permit.failed();
}

export async function deliverToTarget(
  target: string,
  messages: readonly OutboundMessage[],
  retry: readonly RetryPolicy[],
  guard: TargetGuard,
  budgetDeadline: number,
  ctx: RequestContext,
  deps: TargetDeliveryDeps,
): Promise<AttemptedDelivery[]> {
  const count = messages.length;
  const outcomes: PublishOutcome[] = [];
  const attempts: number[] = new Array(count).fill(0);
  const firstAt: (number | undefined)[] = new Array(count).fill(undefined);
  const lastAt: (number | undefined)[] = new Array(count).fill(undefined);
  const timeoutMs = deps.targets.attemptTimeoutMs(target);
  let pending = messages.map((_, i) => i);

  while (pending.length > 0) {
    const permit = guard.acquire(pending.length);
    if (isRefusal(permit)) {
      for (const i of pending) outcomes[i] = retriable(permit.reason, permit.retryAfterMs);
      break;
    }
    const startedAt = ctx.clock.now();
    for (const i of pending) {
      attempts[i] = (attempts[i] as number) + 1;
      firstAt[i] ??= startedAt;
      lastAt[i] = startedAt;
    }
    const attempt = openAttempt(ctx, timeoutMs, deps.timers, budgetDeadline);
    const sending = pending.length === count ? messages : pending.map((i) => messages[i] as OutboundMessage);
    const got = await publishWithin(deps.targets, target, sending, attempt).finally(() => attempt.dispose());
    settle(permit, got, attempt.signal);

    const again: number[] = [];
    let delayMs = 0;
    got.forEach((outcome, k) => {
      const i = pending[k] as number;
      outcomes[i] = outcome;
      const policy = retry[i] as RetryPolicy;
      if (outcome.status !== "retriable" || (attempts[i] as number) >= policy.maxAttempts) return;
      again.push(i);
      delayMs = Math.max(
        delayMs,
        backoffDelayMs(policy, attempts[i] as number, outcome.retryAfterMs, deps.random),
      );
    });
    if (again.length === 0 || ctx.signal.aborted) break;
    if (ctx.clock.now() + delayMs >= budgetDeadline) {
      for (const i of again) {
        const last = outcomes[i] as PublishOutcome & { status: "retriable" };
        const retryAfterMs = Math.max(delayMs, last.retryAfterMs ?? 0);
        outcomes[i] = retriable(budgetRanOut(last.reason, attempts[i] as number), retryAfterMs || undefined);
      }
      break;
    }
    if (!(await pause(delayMs, ctx.signal, deps.timers))) break;
    pending = again;
  }
  return outcomes.map((outcome, i) => ({
    outcome,
    attempts: attempts[i] as number,
    firstAttemptAt: firstAt[i],
    lastAttemptAt: lastAt[i],
  }));
}
