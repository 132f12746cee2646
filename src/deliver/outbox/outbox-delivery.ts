/**
 * Asynchronous acceptance: the deliveries whose routes all say `ack: async`
 * are appended to the outbox (resolved only once on stable storage) instead of
 * delivered, and count as acked (`queued`) for the answer; the dispatcher
 * delivers them later with the same retries and dead letter. The other
 * deliveries of the request go through the synchronous layer as before, in
 * parallel. A full or failing outbox answers those deliveries retriable, so
 * the producer gets 503 with Retry-After and nothing is reported accepted.
 */
import { acked, type PublishOutcome, retriable } from "../../adapter/adapter.js";
import { describeError, type FieldFailure, GatewayError } from "../../errors/errors.js";
import type { CloudEvent } from "../../event/cloud-event.js";
import { toJsonFormat } from "../../event/json-format.js";
import { GATEWAY_EVENT_COUNT } from "../../observe/tracing/semconv.js";
import { inStageSpan } from "../../observe/tracing/stage-span.js";
import type { PlannedDelivery } from "../../route/plan-deliveries.js";
import type { DeliveryLayer, DeliveryResult } from "../delivery-layer.js";
import { type NewOutboxRecord, type OutboxAppender, OutboxFullError } from "./outbox-store.js";

/** How long a producer should wait when the outbox is full: long enough for the dispatcher to drain some. */
export const OUTBOX_FULL_RETRY_AFTER_MS = 5_000;

const QUEUED: PublishOutcome = acked({ queued: true });

/**
 * The key an outbox keeps order by: the route's `orderingKey` template, else
 * the target's ordering key, else the `partitionkey` extension. A route's
 * template the event cannot fill gives no key: the event has no order.
 */
function orderingKeyOf(delivery: PlannedDelivery): string | undefined {
  const fromRoute = delivery.policy.orderingKey;
  if (fromRoute !== undefined) {
    const expanded = fromRoute.expand(delivery.message.event);
    return expanded.ok ? expanded.value : undefined;
  }
  if (delivery.message.orderingKey !== undefined) return delivery.message.orderingKey;
  const key = delivery.message.event.extensions.get("partitionkey");
  return key === undefined ? undefined : String(key);
}

export function outboxRecordOf(
  delivery: PlannedDelivery,
  original: CloudEvent,
  acceptedAt: number,
): NewOutboxRecord {
  const orderingKey = orderingKeyOf(delivery);
  const { event } = delivery.message;
  return {
    target: delivery.target,
    ...(delivery.route !== undefined && { route: delivery.route }),
    ...(orderingKey !== undefined && { orderingKey }),
    event: toJsonFormat(event),
    ...(event !== original && { original: toJsonFormat(original) }),
    ...(delivery.policy.deadLetter !== undefined && { deadLetter: delivery.policy.deadLetter }),
    acceptedAt,
  };
}

function resultOf(delivery: PlannedDelivery, outcome: PublishOutcome): DeliveryResult {
  return {
    eventIndex: delivery.eventIndex,
    target: delivery.target,
    ...(delivery.route !== undefined && { route: delivery.route }),
    outcome,
    attempts: 0,
  };
}

/**
 * Refuses the request (413, before anything is delivered) when the outbox
 * could never hold one of its records: accepted, it could never be delivered.
 */
function refuseOversized(
  queued: readonly PlannedDelivery[],
  records: readonly NewOutboxRecord[],
  whyTooLarge: (record: NewOutboxRecord) => string | undefined,
): void {
  const failures: FieldFailure[] = [];
  records.forEach((record, i) => {
    const detail = whyTooLarge(record);
    if (detail === undefined) return;
    const delivery = queued[i] as PlannedDelivery;
    failures.push({
      index: delivery.eventIndex,
      pointer: "",
      target: delivery.target,
      ...(delivery.route !== undefined && { route: delivery.route }),
      code: "event-too-large",
      detail,
    });
  });
  if (failures.length > 0)
    throw new GatewayError("event-too-large", "An event is larger than the outbox can hold", { failures });
}

export function withOutbox(
  inner: DeliveryLayer,
  outbox: OutboxAppender,
  appended: () => void,
): DeliveryLayer {
  return {
    async deliver(plan, ctx) {
      const queued = plan.deliveries.filter((d) => d.policy.async === true);
      if (queued.length === 0) return inner.deliver(plan, ctx);
      const acceptedAt = ctx.clock.now();
      const records = queued.map((d) =>
        outboxRecordOf(d, plan.events[d.eventIndex] as CloudEvent, acceptedAt),
      );
      if (outbox.whyTooLarge !== undefined) refuseOversized(queued, records, outbox.whyTooLarge);
      const now =
        plan.deliveries.length === queued.length
          ? []
          : plan.deliveries.filter((d) => d.policy.async !== true);
      const appending = inStageSpan(
        ctx.telemetry,
        "outbox append",
        { [GATEWAY_EVENT_COUNT]: records.length },
        () => outbox.append(records),
      );
      const storing = appending.then(
        (): PublishOutcome => {
          appended();
          return QUEUED;
        },
        (error: unknown): PublishOutcome =>
          error instanceof OutboxFullError
            ? retriable(error.message, OUTBOX_FULL_RETRY_AFTER_MS)
            : retriable(`The outbox could not store the event: ${describeError(error)}`),
      );
      const [stored, delivered] = await Promise.all([
        storing,
        now.length === 0 ? [] : inner.deliver({ ...plan, deliveries: now }, ctx),
      ]);
      return [...queued.map((d) => resultOf(d, stored)), ...delivered];
    },
  };
}
