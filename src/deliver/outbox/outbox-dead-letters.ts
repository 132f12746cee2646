/**
 * Dead letters of outbox records: the same dead-letter event and message id
 * as a request's (../dead-letter/), but one attempt each, like every
 * dispatch: a dead letter that does not take it leaves the record in the
 * outbox, which tries again later (the outbox, not an in-process loop, owns
 * retries).
 */
import type { PublishOutcome } from "../../adapter/adapter.js";
import type { RequestContext } from "../../context/request-context.js";
import {
  type DeadLetterDeps,
  type DeadLetterToSend,
  sendDeadLetters,
} from "../dead-letter/send-dead-letters.js";
import { NO_RETRY } from "../delivery-policy.js";
import { NO_REQUEST_BUDGET } from "./no-request-budget.js";

export type { DeadLetterToSend };

/** One outcome per letter, in order: what its dead letter said. */
export function sendOutboxDeadLetters(
  letters: readonly DeadLetterToSend[],
  ctx: RequestContext,
  deps: DeadLetterDeps,
): Promise<PublishOutcome[]> {
  return sendDeadLetters(letters, { retryOf: () => NO_RETRY, budgetDeadline: NO_REQUEST_BUDGET }, ctx, deps);
}
