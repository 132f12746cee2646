/**
 * Sends events that targets refused for good within a request to their
 * routes' dead letters, within the request's budget and with the
 * dead-letter target's own retry policy. Each answer is the dead letter's
 * outcome: only an acked dead letter makes the refusal handled (DELIVERY.md:
 * an event is never dropped).
 */
import type { PublishOutcome } from "../../adapter/adapter.js";
import type { RequestContext } from "../../context/request-context.js";
import type { CloudEvent } from "../../event/cloud-event.js";
import type { PlannedDelivery } from "../../route/plan-deliveries.js";
import type { AttemptedDelivery } from "../deliver-to-target.js";
import { NO_RETRY } from "../delivery-policy.js";
import { type DeadLetterDeps, sendDeadLetters } from "./send-dead-letters.js";

export interface RefusedDelivery {
  readonly delivery: PlannedDelivery & { readonly policy: { readonly deadLetter: string } };
  readonly attempted: AttemptedDelivery & { readonly outcome: { readonly status: "terminal" } };
}

/** One outcome per refused delivery, in order: what its dead letter said. */
export function writeDeadLetters(
  refused: readonly RefusedDelivery[],
  events: readonly CloudEvent[],
  budgetDeadline: number,
  ctx: RequestContext,
  deps: DeadLetterDeps,
): Promise<PublishOutcome[]> {
  const now = ctx.clock.now();
  const letters = refused.map(({ delivery, attempted }) => ({
    to: delivery.policy.deadLetter,
    event: events[delivery.eventIndex] as CloudEvent,
    cause: {
      target: delivery.target,
      attempts: attempted.attempts,
      status: attempted.outcome.targetStatus,
      reason: attempted.outcome.reason,
      firstAttemptAt: attempted.firstAttemptAt ?? now,
      lastAttemptAt: attempted.lastAttemptAt ?? now,
    },
  }));
  const retryOf = (to: string) => deps.routing.targetPolicies.get(to)?.retry ?? NO_RETRY;
  return sendDeadLetters(letters, { retryOf, budgetDeadline }, ctx, deps);
}
