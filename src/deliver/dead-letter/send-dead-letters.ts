/**
 * Sends dead letters: each event with its failure as `deadletter*`
 * extensions (./dead-letter-event.ts), addressed and encoded for its
 * dead-letter target, under a message id of its own; letters to one target
 * go in one publish call. Both the request's path (within its budget, with
 * the dead-letter target's retries) and the outbox's (one attempt: the
 * outbox owns retries) send through here.
 */
import { type OutboundMessage, type PublishOutcome, terminal } from "../../adapter/adapter.js";
import type { RequestContext } from "../../context/request-context.js";
import type { CloudEvent } from "../../event/cloud-event.js";
import { planMessage } from "../../route/plan-message.js";
import type { RoutingTable } from "../../route/routing-table.js";
import { type AttemptedDelivery, deliverToTarget, type TargetDeliveryDeps } from "../deliver-to-target.js";
import type { RetryPolicy } from "../delivery-policy.js";
import type { TargetGuards } from "../target-guard.js";
import { type DeadLetterCause, deadLetterEvent, deadLetterMessageId } from "./dead-letter-event.js";

export interface DeadLetterToSend {
  /** The dead-letter target. */
  readonly to: string;
  /** The event as received (before any route's transform). */
  readonly event: CloudEvent;
  readonly cause: DeadLetterCause;
}

export interface DeadLetterDeps extends TargetDeliveryDeps {
  readonly routing: RoutingTable;
  readonly guards: TargetGuards;
}

/** How hard to try each dead-letter target, and by when. */
export interface DeadLetterAttempts {
  readonly retryOf: (to: string) => RetryPolicy;
  readonly budgetDeadline: number;
}

/** One outcome per letter, in order: what its dead letter said. */
export async function sendDeadLetters(
  letters: readonly DeadLetterToSend[],
  attempts: DeadLetterAttempts,
  ctx: RequestContext,
  deps: DeadLetterDeps,
): Promise<PublishOutcome[]> {
  const answers: PublishOutcome[] = new Array(letters.length);
  const groups = new Map<string, { index: number; message: OutboundMessage }[]>();
  await Promise.all(
    letters.map(async ({ to, event, cause }, index) => {
      const messageId = await deadLetterMessageId(event, cause.target);
      const planned = planMessage(deadLetterEvent(event, cause), to, deps.routing, deps.targets, messageId);
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
      const messages = group.map((g) => g.message);
      const retry = attempts.retryOf(to);
      const attempted = await deliverToTarget(
        to,
        messages,
        messages.map(() => retry),
        deps.guards.get(to),
        attempts.budgetDeadline,
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
