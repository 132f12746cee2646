/**
 * What becomes of an outbox record after one dispatch: pure decisions, apart
 * from the I/O that carries them out (./dispatch-batch.ts).
 *
 * The rules, from what 202 promises (DELIVERY.md: a producer that received
 * 202 must be able to forget the event; async 202 means "durably stored"),
 * so the gateway must not lose what it took:
 * - acked: completed.
 * - terminal: to the dead letter the record names; without one, reported and
 *   completed. DELIVERY.md says nothing of a refusal for good after an async
 *   202; the record's contract does ("absent: it is reported and dropped
 *   from the outbox", ./outbox-store.ts), and trying again cannot change a
 *   refusal for good. The `outbox-refused` report is what is left of it.
 * - retriable, attempts left (the target's retry.maxAttempts): tried again
 *   after the backoff, or after the target's Retry-After when it gave one.
 * - retriable, attempts used up: to the dead letter when the record names
 *   one; without one it is kept and tried every maxDelayMs, never dropped.
 * - refused by the target's guard (circuit open, maxInFlight): no attempt
 *   reached the target, so none is counted; tried again once the guard says.
 * - abandoned (the dispatcher stopping cut the attempt short): it tells
 *   nothing of the target, so it is not counted, and is due at the next poll.
 * Whatever is kept waits at least `minDelayMs`, so a target without retry
 * delays (no retry policy: maxDelayMs 0) is not tried in a tight loop.
 */
import type { PublishOutcome } from "../../adapter/adapter.js";
import type { AttemptedDelivery } from "../deliver-to-target.js";
import { backoffDelayMs, type RetryPolicy } from "../delivery-policy.js";
import type { OutboxRecord, Rescheduled } from "./outbox-store.js";

export type NextStep =
  | { readonly step: "complete" }
  /** Refused for good with no dead letter: reported, then completed. */
  | { readonly step: "drop"; readonly outcome: PublishOutcome & { readonly status: "terminal" } }
  | { readonly step: "dead-letter"; readonly attempts: number; readonly status: string | number | undefined }
  | { readonly step: "reschedule"; readonly update: Rescheduled };

export interface StepContext {
  readonly now: number;
  readonly policy: RetryPolicy;
  readonly minDelayMs: number;
  readonly random: () => number;
}

export const DISPATCH_STOPPED = "The dispatcher stopped before the attempt finished";

/** The record's attempt state after this dispatch, due again after `delayMs`. */
function rescheduled(
  record: OutboxRecord,
  attempted: AttemptedDelivery,
  attempts: number,
  delayMs: number,
  lastError: string,
  at: StepContext,
): NextStep {
  return {
    step: "reschedule",
    update: {
      attempts,
      notBefore: at.now + Math.max(at.minDelayMs, delayMs),
      // The interface wants both times even when no attempt was ever made (a guard refused the
      // first): then they say when the dispatcher first and last tried.
      firstAttemptAt: record.firstAttemptAt ?? attempted.firstAttemptAt ?? at.now,
      lastAttemptAt: attempted.lastAttemptAt ?? record.lastAttemptAt ?? at.now,
      lastError,
    },
  };
}

export function nextStep(
  record: OutboxRecord,
  attempted: AttemptedDelivery,
  abandoned: boolean,
  at: StepContext,
): NextStep {
  const { outcome } = attempted;
  if (outcome.status === "acked") return { step: "complete" };
  const attempts = record.attempts + attempted.attempts;
  if (outcome.status === "terminal") {
    return record.deadLetter === undefined
      ? { step: "drop", outcome }
      : { step: "dead-letter", attempts, status: outcome.targetStatus };
  }
  if (abandoned) return rescheduled(record, attempted, record.attempts, 0, DISPATCH_STOPPED, at);
  if (attempted.attempts === 0) {
    // The guard refused: it always says when to come back.
    return rescheduled(record, attempted, attempts, outcome.retryAfterMs ?? 0, outcome.reason, at);
  }
  const { policy } = at;
  if (attempts < policy.maxAttempts) {
    const delay = backoffDelayMs(policy, attempts, outcome.retryAfterMs, at.random);
    return rescheduled(record, attempted, attempts, delay, outcome.reason, at);
  }
  if (record.deadLetter !== undefined) return { step: "dead-letter", attempts, status: "retriable" };
  const delay = Math.max(policy.maxDelayMs, outcome.retryAfterMs ?? 0);
  return rescheduled(record, attempted, attempts, delay, outcome.reason, at);
}

/**
 * After its dead letter was tried: completed once the dead letter took it;
 * otherwise kept (the event is never dropped) and tried again, target first,
 * after the backoff or the dead letter's Retry-After.
 */
export function afterDeadLetter(
  record: OutboxRecord,
  attempted: AttemptedDelivery,
  attempts: number,
  /** Why the target did not take it. */
  failedReason: string,
  answer: PublishOutcome,
  at: StepContext,
): NextStep {
  if (answer.status === "acked") return { step: "complete" };
  const retryAfterMs = answer.status === "retriable" ? answer.retryAfterMs : undefined;
  const delay = backoffDelayMs(at.policy, Math.max(1, attempts), retryAfterMs, at.random);
  const lastError = `${failedReason}; its dead letter "${record.deadLetter}" did not take it: ${answer.reason}`;
  return rescheduled(record, attempted, attempts, delay, lastError, at);
}
