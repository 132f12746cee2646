/**
 * Idempotency by `source` + `id` (DELIVERY.md): a delivery layer wrapped so
 * that an event whose every delivery acked within the window is answered as a
 * duplicate and not delivered again, and one that failed part-way goes again
 * only where it did not arrive. A pair is recorded as complete only once every
 * delivery of its plan acked (a dead letter that took a refusal counts: the
 * producer was told 202). When the store cannot be read the event is
 * delivered in full: a repeat is better than a loss (at-least-once).
 */
import { acked, type PublishOutcome } from "../../adapter/adapter.js";
import type { Observer } from "../../observe/observer.js";
import { GATEWAY_EVENT_COUNT } from "../../observe/tracing/semconv.js";
import { inStageSpan } from "../../observe/tracing/stage-span.js";
import type { PlannedDelivery } from "../../route/plan-deliveries.js";
import type { DeliveryLayer, DeliveryResult } from "../delivery-layer.js";
import type { DedupRecord, DedupStore } from "./dedup-store.js";

/** A delivery's key in a record: its target, or `<target>~<route>` for a route's transformed variant. */
export const deliveryKey = (delivery: { readonly target: string; readonly route?: string }): string =>
  delivery.route === undefined ? delivery.target : `${delivery.target}~${delivery.route}`;

/** The whole event was delivered before: the producer is told it is a duplicate. */
const DUPLICATE: PublishOutcome = acked({ duplicate: true, dedup: "gateway" });
/** This target had it from an earlier try that failed elsewhere: this try completes the event, not a duplicate. */
const ACKED_BEFORE: PublishOutcome = acked({ dedup: "acked-before" });

/** Whether the result leaves the event handled at that target (acked, or refused and dead-lettered). */
const handled = (result: DeliveryResult): boolean =>
  result.outcome.status === "acked" ||
  (result.outcome.status === "terminal" && result.deadLetter?.outcome.status === "acked");

export function withDedup(inner: DeliveryLayer, store: DedupStore, observer: Observer): DeliveryLayer {
  return {
    async deliver(plan, ctx) {
      const pairs = plan.events.map(({ attributes: { source, id } }) => ({ source, id }));
      let records: readonly (DedupRecord | undefined)[] = [];
      try {
        records = await inStageSpan(
          ctx.telemetry,
          "dedup lookup",
          { [GATEWAY_EVENT_COUNT]: pairs.length },
          () => store.lookup(pairs),
        );
      } catch (error) {
        observer.report({ stage: "dedup-unavailable", ctx, operation: "lookup", error });
      }
      const skipped = new Map<PlannedDelivery, DeliveryResult>();
      const remaining: PlannedDelivery[] = [];
      for (const delivery of plan.deliveries) {
        const record = records[delivery.eventIndex];
        if (record !== undefined && (record.complete || record.acked.includes(deliveryKey(delivery)))) {
          skipped.set(delivery, {
            eventIndex: delivery.eventIndex,
            target: delivery.target,
            ...(delivery.route !== undefined && { route: delivery.route }),
            outcome: record.complete ? DUPLICATE : ACKED_BEFORE,
            attempts: 0,
          });
        } else remaining.push(delivery);
      }
      const delivered =
        remaining.length === 0 ? [] : await inner.deliver({ ...plan, deliveries: remaining }, ctx);

      // Per event: what was acked before, and what acked now.
      const ackedNow = new Map<number, Set<string>>();
      for (const result of delivered) {
        if (!handled(result)) continue;
        const keys = ackedNow.get(result.eventIndex) ?? new Set(records[result.eventIndex]?.acked);
        keys.add(deliveryKey(result));
        ackedNow.set(result.eventIndex, keys);
      }
      if (ackedNow.size > 0) {
        const entries = [...ackedNow].map(([eventIndex, keys]) => ({
          pair: pairs[eventIndex] as (typeof pairs)[number],
          record: {
            acked: [...keys],
            complete: plan.deliveries.every((d) => d.eventIndex !== eventIndex || keys.has(deliveryKey(d))),
          },
        }));
        try {
          await inStageSpan(ctx.telemetry, "dedup record", { [GATEWAY_EVENT_COUNT]: entries.length }, () =>
            store.record(entries),
          );
        } catch (error) {
          observer.report({ stage: "dedup-unavailable", ctx, operation: "record", error });
        }
      }
      return skipped.size === 0 ? delivered : [...skipped.values(), ...delivered];
    },
  };
}
