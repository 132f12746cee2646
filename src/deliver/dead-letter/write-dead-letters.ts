/**
 * Sends events that targets refused for good to their routes' dead letters,
 * within the request's budget and with the dead-letter target's own retry
 * policy. Each answer is the dead letter's outcome: only an acked dead letter
 * makes the refusal handled (DELIVERY.md: an event is never dropped).
 */
import { type OutboundMessage, type PublishOutcome, terminal } from "../../adapter/adapter.js";
import type { RequestContext } from "../../context/request-context.js";
import type { CloudEvent } from "../../event/cloud-event.js";
import type { PlannedDelivery } from "../../route/plan-deliveries.js";
import { planMessage } from "../../route/plan-message.js";
import type { RoutingTable } from "../../route/routing-table.js";
import { type AttemptedDelivery, deliverToTarget, type TargetDeliveryDeps } from "../deliver-to-target.js";
import { NO_RETRY, type RetryPolicy } from "../delivery-policy.js";
import type { TargetGuards } from "../target-guard.js";
import { deadLetterEvent, deadLetterMessageId } from "./dead-letter-event.js";

export interface RefusedDelivery {
  readonly delivery: PlannedDelivery & { readonly policy: { readonly deadLetter: string } };
  readonly attempted: AttemptedDelivery & { readonly outcome: { readonly status: "terminal" } };
}

export interface DeadLetterDeps extends TargetDeliveryDeps {
  readonly routing: RoutingTable;
  readonly guards: TargetGuards;
}

/** One outcome per refused delivery, in order: what its dead letter said. */
export async function writeDeadLetters(
  refused: readonly RefusedDelivery[],
  events: readonly CloudEvent[],
  budgetDeadline: number,
  ctx: RequestContext,
  deps: DeadLetterDeps,
): Promise<PublishOutcome[]> {
  const answers: PublishOutcome[] = new Array(refused.length);
  const groups = new Map<string, { index: number; message: OutboundMessage }[]>();
  await Promise.all(
    refused.map(async ({ delivery, attempted }, index) => {
      const original = events[delivery.eventIndex] as CloudEvent;
      const now = ctx.clock.now();
      const letter = deadLetterEvent(original, {
        target: delivery.target,
        attempts: attempted.attempts,
        status: attempted.outcome.targetStatus,
        reason: attempted.outcome.reason,
        firstAttemptAt: attempted.firstAttemptAt ?? now,
        lastAttemptAt: attempted.lastAttemptAt ?? now,
      });
      const to = delivery.policy.deadLetter;
      const messageId = await deadLetterMessageId(original, delivery.target);
      const planned = planMessage(letter, to, deps.routing, deps.targets, messageId);
      if (!planned.ok) {
        answers[index] = terminal(`The dead letter "${to}" cannot take the event: ${planned.detail}`);
        return;
      }
      const group = groups.get(to);
      if (group === undefined) groups.set(to, [{ index, message: planned.message }]);
      else group.push({ index, message: planned.message });
    }),
  );
  await Promise.all(
    [...groups].map(async ([to, group]) => {
      const retry: RetryPolicy = deps.routing.targetPolicies.get(to)?.retry ?? NO_RETRY;
      const messages = group.map((g) => g.message);
      const attempted = await deliverToTarget(
        to,
        messages,
        messages.map(() => retry),
        deps.guards.get(to),
        budgetDeadline,
        ctx,
        deps,
      );
      group.forEach((g, i) => {
        answers[g.index] = (attempted[i] as AttemptedDelivery).outcome;
      });
    }),
  );
  return answers;
}
