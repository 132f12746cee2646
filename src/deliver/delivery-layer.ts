/**
 * The deliver stage: executes a delivery plan against the adapters, one
 * target group at a time in parallel. Each group's attempts, retries and
 * guard live in ./deliver-to-target.ts; events a target refused for good go
 * to their routes' dead letters (./dead-letter/write-dead-letters.ts). All
 * attempts of a request end by its budget: the shortest of its routes'
 * (`timeoutMs`), else `delivery.timeoutMs`, counted from when it arrived.
 */
import type { PublishOutcome } from "../adapter/adapter.js";
import type { DeadlineTimers } from "../adapter/deadline-timers.js";
import type { TargetRegistry } from "../adapter/target-registry.js";
import type { RequestContext } from "../context/request-context.js";
import type { Observer } from "../observe/observer.js";
import type { DeliveryPlan, PlannedDelivery } from "../route/plan-deliveries.js";
import type { RoutingTable } from "../route/routing-table.js";
import { type RefusedDelivery, writeDeadLetters } from "./dead-letter/write-dead-letters.js";
import { type AttemptedDelivery, deliverToTarget } from "./deliver-to-target.js";
import type { TargetGuards } from "./target-guard.js";

export interface DeliveryResult {
  readonly eventIndex: number;
  readonly target: string;
  /** The route whose transform made the event this target got; absent: the event as received. */
  readonly route?: string;
  readonly outcome: PublishOutcome;
  readonly attempts: number;
  /** The target refused the event for good and the route has a dead letter: where it went, and what it said. */
  readonly deadLetter?: { readonly target: string; readonly outcome: PublishOutcome };
}

export interface DeliveryLayer {
  deliver(plan: DeliveryPlan, ctx: RequestContext): Promise<readonly DeliveryResult[]>;
}

export interface DeliveryDeps {
  readonly targets: TargetRegistry;
  readonly routing: RoutingTable;
  readonly guards: TargetGuards;
  readonly observer: Observer;
  readonly timers: DeadlineTimers;
  /** The backoff's jitter; default Math.random. */
  readonly random?: () => number;
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

const isRefusedWithDeadLetter = (delivery: PlannedDelivery, attempted: AttemptedDelivery): boolean =>
  attempted.outcome.status === "terminal" && delivery.policy.deadLetter !== undefined;

export function createSyncDelivery(deps: DeliveryDeps): DeliveryLayer {
  const targetDeps = { ...deps, random: deps.random ?? Math.random };
  const { observer } = deps;
  return {
    async deliver(plan, ctx) {
      const budgetDeadline = ctx.receivedAt + plan.budgetMs;
      const groups = [...groupByTarget(plan.deliveries)];
      const perTarget = await Promise.all(
        groups.map(async ([target, group]) => {
          const started = ctx.clock.now();
          const attempted = await deliverToTarget(
            target,
            group.map((d) => d.message),
            group.map((d) => d.policy.retry),
            deps.guards.get(target),
            budgetDeadline,
            ctx,
            targetDeps,
          );
          const durationMs = ctx.clock.now() - started;
          return group.map((delivery, i) => {
            const { outcome, attempts } = attempted[i] as AttemptedDelivery;
            const { id, source } = delivery.message.event.attributes;
            observer.report({
              stage: "delivered",
              ctx,
              target,
              eventId: id,
              source,
              outcome,
              durationMs,
              attempts,
            });
            return { delivery, attempted: attempted[i] as AttemptedDelivery };
          });
        }),
      );
      const all = perTarget.flat();
      const refused = all.filter(({ delivery, attempted }) => isRefusedWithDeadLetter(delivery, attempted));
      const deadLetters =
        refused.length === 0
          ? []
          : await writeDeadLetters(
              refused as RefusedDelivery[],
              plan.events,
              budgetDeadline,
              ctx,
              targetDeps,
            );
      let next = 0;
      return all.map(({ delivery, attempted }): DeliveryResult => {
        const result: DeliveryResult = {
          eventIndex: delivery.eventIndex,
          target: delivery.target,
          ...(delivery.route !== undefined && { route: delivery.route }),
          outcome: attempted.outcome,
          attempts: attempted.attempts,
        };
        if (!isRefusedWithDeadLetter(delivery, attempted)) return result;
        const deadLetter = {
          target: delivery.policy.deadLetter as string,
          outcome: deadLetters[next++] as PublishOutcome,
        };
        const { id, source } = delivery.message.event.attributes;
        observer.report({
          stage: "dead-lettered",
          ctx,
          target: delivery.target,
          eventId: id,
          source,
          deadLetter,
        });
        return { ...result, deadLetter };
      });
    },
  };
}
