/**
 * The respond stage: 202 when every (event, target) pair was acked, or
 * refused for good and taken by its route's dead letter; otherwise
 * the problem that lets the producer retry safely (DELIVERY.md): 502 when any
 * failure is terminal, else 503 with Retry-After.
 */
import { acked, type PublishOutcome, retriable, terminal } from "../adapter/adapter.js";
import type { DeliveryResult } from "../deliver/delivery-layer.js";
import { type FieldFailure, GatewayError } from "../errors/errors.js";
import type { CloudEvent } from "../event/cloud-event.js";
import type { GatewayReply } from "./reply.js";

/** When no target said how long to wait. */
export const DEFAULT_RETRY_AFTER_MS = 5_000;

/** A target that refused the event for good, and the dead letter that took it instead. */
export interface DeadLettered {
  readonly target: string;
  readonly deadLetter: string;
  readonly reason: string;
}

export interface AcceptedEvent {
  readonly id: string;
  readonly source: string;
  /** Set when a target (or the gateway's dedup) recognised the event as one it already had. */
  readonly duplicate?: true;
  /** Set when the event was accepted into the outbox (`ack: async`) for at least one target: it is delivered after this answer. */
  readonly queued?: true;
  /** Set when a target refused the event and its route's dead letter took it: handled, not delivered there. */
  readonly deadLettered?: readonly DeadLettered[];
}

export interface AcceptedBody {
  readonly accepted: number;
  readonly events: readonly AcceptedEvent[];
}

/** What the producer is told: accepted (202), or the delivery problem (502 or 503). */
export type DeliveryVerdict =
  | { readonly accepted: true; readonly body: AcceptedBody }
  | { readonly accepted: false; readonly problem: GatewayError };

/** What a refusal comes to once its dead letter answered: handled when it acked, else its failure. */
function deadLetterVerdict(
  refusal: string,
  deadLetter: NonNullable<DeliveryResult["deadLetter"]>,
): PublishOutcome {
  const { outcome } = deadLetter;
  if (outcome.status === "acked") return acked();
  const reason = `${refusal}; its dead letter "${deadLetter.target}" did not take it either: ${outcome.reason}`;
  return outcome.status === "retriable" ? retriable(reason, outcome.retryAfterMs) : terminal(reason);
}

export function summarizeDelivery(
  events: readonly CloudEvent[],
  results: readonly DeliveryResult[],
): DeliveryVerdict {
  const failures: FieldFailure[] = [];
  let anyTerminal = false;
  let retryAfterMs: number | undefined;
  const duplicates = new Set<number>();
  const queued = new Set<number>();
  const deadLettered = new Map<number, DeadLettered[]>();
  for (const result of results) {
    const { eventIndex, target } = result;
    // A refusal its dead letter took is handled; one it did not take fails as the dead letter did.
    const outcome =
      result.deadLetter === undefined || result.outcome.status !== "terminal"
        ? result.outcome
        : deadLetterVerdict(result.outcome.reason, result.deadLetter);
    if (outcome.status === "acked") {
      if (outcome.receipt.duplicate === true) duplicates.add(eventIndex);
      if (outcome.receipt.queued === true) queued.add(eventIndex);
      if (result.deadLetter !== undefined && result.outcome.status === "terminal") {
        const entry = { target, deadLetter: result.deadLetter.target, reason: result.outcome.reason };
        const listed = deadLettered.get(eventIndex);
        if (listed === undefined) deadLettered.set(eventIndex, [entry]);
        else listed.push(entry);
      }
      continue;
    }
    if (outcome.status === "terminal") anyTerminal = true;
    else if (outcome.retryAfterMs !== undefined)
      retryAfterMs = Math.max(retryAfterMs ?? 0, outcome.retryAfterMs);
    failures.push({
      index: eventIndex,
      pointer: "",
      target,
      code: `delivery-${outcome.status}`,
      detail: outcome.reason,
    });
  }
  if (anyTerminal) {
    const problem = new GatewayError(
      "target-refused",
      "A target refused an event for good; the request was not accepted",
      { failures },
    );
    return { accepted: false, problem };
  }
  if (failures.length > 0) {
    const problem = new GatewayError(
      "target-unavailable",
      "A target is unavailable; retry the request later",
      { failures, retryAfterMs: retryAfterMs ?? DEFAULT_RETRY_AFTER_MS },
    );
    return { accepted: false, problem };
  }
  const body = {
    accepted: events.length,
    events: events.map((event, index) => {
      const { id, source } = event.attributes;
      const letters = deadLettered.get(index);
      return {
        id,
        source,
        ...(duplicates.has(index) && { duplicate: true as const }),
        ...(queued.has(index) && { queued: true as const }),
        ...(letters !== undefined && { deadLettered: letters }),
      };
    }),
  };
  return { accepted: true, body };
}

/** The 202 as a reply: the documented body, and the request id to correlate logs. */
export function acceptedReply(body: AcceptedBody, requestId: string): GatewayReply {
  return {
    status: 202,
    headers: { "content-type": "application/json", "x-request-id": requestId },
    body: JSON.stringify(body),
  };
}
