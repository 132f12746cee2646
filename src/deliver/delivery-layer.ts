/**
 * The deliver stage: executes a delivery plan against the adapters. For now
 * one attempt per target, bounded by the target's timeout and the request's
 * deadline (./attempt.ts); retries, the outbox and dead letters arrive here
 * later, behind the same interface.
 */

import { type Adapter, type PublishOutcome, retriable } from "../adapter/adapter.js";
import type { DeadlineTimers } from "../adapter/deadline-timers.js";
import type { TargetRegistry } from "../adapter/target-registry.js";
import type { RequestContext } from "../context/request-context.js";
import { describeError } from "../errors/errors.js";
import type { Observer } from "../observe/observer.js";
import type { DeliveryPlan, PlannedDelivery } from "../route/plan-deliveries.js";
import { type Attempt, openAttempt } from "./attempt.js";

export interface DeliveryResult {
  readonly eventIndex: number;
  readonly target: string;
  readonly outcome: PublishOutcome;
}

export interface DeliveryLayer {
  deliver(plan: DeliveryPlan, ctx: RequestContext): Promise<readonly DeliveryResult[]>;
}

function groupByTarget(deliveries: readonly PlannedDelivery[]): Map<string, PlannedDelivery[]> {
  const groups = new Map<string, PlannedDelivery[]>();
  for (const delivery of deliveries) {
    const group = groups.get(delivery.target);
    if (group === undefined) groups.set(delivery.target, [delivery]);
    else group.push(delivery);
  }
  return groups;
}

/** Publishes a target's group within the attempt: its outcomes, or the attempt's reason for ending first. */
async function publishWithin(adapter: Adapter, group: readonly PlannedDelivery[], attempt: Attempt) {
  const messages = group.map((d) => d.message);
  try {
    const result = await Promise.race([
      adapter.publish(messages, { signal: attempt.signal, deadline: attempt.deadline }),
      attempt.ended,
    ]);
    if (typeof result === "string") return group.map(() => retriable(result));
    return group.map(
      (_, i) =>
        result[i] ?? retriable(`The adapter returned ${result.length} outcomes for ${group.length} events`),
    );
  } catch (error) {
    // Adapters must classify failures themselves; an exception leaves the outcome unknown, so retrying is the safe answer.
    return group.map(() => retriable(`The adapter failed: ${describeError(error)}`));
  }
}

export function createSyncDelivery(
  targets: TargetRegistry,
  observer: Observer,
  timers: DeadlineTimers,
): DeliveryLayer {
  return {
    async deliver(plan, ctx) {
      const groups = [...groupByTarget(plan.deliveries)];
      const perTarget = await Promise.all(
        groups.map(async ([target, group]) => {
          const started = ctx.clock.now();
          // Opened before the adapter is fetched: creating it is part of the attempt's time.
          const attempt = openAttempt(ctx, targets.attemptTimeoutMs(target), timers);
          // An adapter created earlier is used as it is, without waiting a turn for `get`.
          const created = targets.created(target);
          const outcomes = await (created === undefined
            ? targets.get(target).then(
                (adapter) => publishWithin(adapter, group, attempt),
                (error: unknown) =>
                  group.map(() =>
                    retriable(
                      `Target "${target}" is not available: ${error instanceof Error ? error.message : error}`,
                    ),
                  ),
              )
            : publishWithin(created, group, attempt)
          ).finally(() => attempt.dispose());
          const durationMs = ctx.clock.now() - started;
          return group.map((delivery, i): DeliveryResult => {
            const outcome = outcomes[i] as PublishOutcome;
            const { id, source } = delivery.message.event.attributes;
            observer.report({ stage: "delivered", ctx, target, eventId: id, source, outcome, durationMs });
            return { eventIndex: delivery.eventIndex, target, outcome };
          });
        }),
      );
      return perTarget.flat();
    },
  };
}
