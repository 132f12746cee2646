/**
 * Dead letters of outbox records: the same dead-letter event and message id
 * as a request's (../dead-letter/), but one attempt each, like every
 * dispatch: a dead letter that does not take it leaves the record in the
 * outbox, which tries again later (the outbox, not an in-process loop, owns
 * retries). Letters to one dead-letter target go in one publish call.
 */
import { type OutboundMessage, type PublishOutcome, terminal } from "../../adapter/adapter.js";
import type { RequestContext } from "../../context/request-context.js";
import type { CloudEvent } from "../../event/cloud-event.js";
import { planMessage } from "../../route/plan-message.js";
import {
  type DeadLetterCause,
  deadLetterEvent,
  deadLetterMessageId,
} from "../dead-letter/dead-letter-event.js";
import type { DeadLetterDeps } from "../dead-letter/write-dead-letters.js";
import { type AttemptedDelivery, deliverToTarget } from "../deliver-to-target.js";
import { NO_RETRY } from "../delivery-policy.js";
import { NO_REQUEST_BUDGET } from "./no-request-budget.js";

export interface DeadLetterToSend {
  /** The dead-letter target. */
  readonly to: string;
  readonly event: CloudEvent;
  readonly cause: DeadLetterCause;
}

/** One outcome per letter, in order: what its dead letter said. */
export async function sendOutboxDeadLetters(
  letters: readonly DeadLetterToSend[],
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
      const attempted = await deliverToTarget(
        to,
        messages,
        messages.map(() => NO_RETRY),
        deps.guards.get(to),
        NO_REQUEST_BUDGET,
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
