/**
 * The respond stage: 202 when every (event, target) pair was acked; otherwise
 * the problem that lets the producer retry safely (DELIVERY.md): 502 when any
 * failure is terminal, else 503 with Retry-After.
 */
import type { DeliveryResult } from "../deliver/delivery-layer.js";
import { type FieldFailure, GatewayError } from "../errors/errors.js";
import type { CloudEvent } from "../event/cloud-event.js";
import type { GatewayReply } from "./reply.js";

/** When no target said how long to wait. */
export const DEFAULT_RETRY_AFTER_MS = 5_000;

export interface AcceptedEvent {
  readonly id: string;
  readonly source: string;
  /** Set when a target recognised the event as one it already had. */
  readonly duplicate?: true;
}

export interface AcceptedBody {
  readonly accepted: number;
  readonly events: readonly AcceptedEvent[];
}

/** What the producer is told: accepted (202), or the delivery problem (502 or 503). */
export type DeliveryVerdict =
  | { readonly accepted: true; readonly body: AcceptedBody }
  | { readonly accepted: false; readonly problem: GatewayError };

export function summarizeDelivery(
  events: readonly CloudEvent[],
  results: readonly DeliveryResult[],
): DeliveryVerdict {
  const failures: FieldFailure[] = [];
  let anyTerminal = false;
  let retryAfterMs: number | undefined;
  const duplicates = new Set<number>();
  for (const { eventIndex, target, outcome } of results) {
    if (outcome.status === "acked") {
      if (outcome.receipt.duplicate === true) duplicates.add(eventIndex);
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
      return duplicates.has(index) ? { id, source, duplicate: true as const } : { id, source };
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
