/**
 * The deliver stage: executes a delivery plan against the adapters. For now
 * one attempt per target, bounded by the request's deadline; retries, the
 * outbox and dead letters arrive here later, behind the same interface.
 */

import { type Adapter, type PublishOutcome, retriable } from "../adapter/adapter.js";
import type { TargetRegistry } from "../adapter/target-registry.js";
import type { RequestContext } from "../context/request-context.js";
import { describeError } from "../errors/errors.js";
import type { Observer } from "../observe/observer.js";
import type { DeliveryPlan, PlannedDelivery } from "../route/plan-deliveries.js";

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

interface AttemptWindow {
  readonly signal: AbortSignal;
  /** Resolves when the window closes, so an adapter that ignores the signal cannot hold the request. */
  readonly closed: Promise<"aborted">;
  dispose(): void;
}

/** The time an attempt may take: until the request's deadline, or until the client goes away. */
function openAttemptWindow(ctx: RequestContext): AttemptWindow {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = setTimeout(abort, Math.max(0, ctx.deadline - ctx.clock.now()));
  if (ctx.signal.aborted) abort();
  else ctx.signal.addEventListener("abort", abort, { once: true });
  const closed = new Promise<"aborted">((resolve) => {
    if (controller.signal.aborted) resolve("aborted");
    else controller.signal.addEventListener("abort", () => resolve("aborted"), { once: true });
  });
  return {
    signal: controller.signal,
    closed,
    dispose() {
      clearTimeout(timer);
      ctx.signal.removeEventListener("abort", abort);
    },
  };
}

async function attempt(
  adapter: Adapter,
  group: readonly PlannedDelivery[],
  ctx: RequestContext,
  window: AttemptWindow,
) {
  const messages = group.map((d) => d.message);
  try {
    const result = await Promise.race([
      adapter.publish(messages, { signal: window.signal, deadline: ctx.deadline }),
      window.closed,
    ]);
    if (result === "aborted") {
      const reason = ctx.signal.aborted
        ? "The client went away before delivery finished"
        : "The delivery deadline passed";
      return group.map(() => retriable(reason));
    }
    return group.map(
      (_, i) =>
        result[i] ?? retriable(`The adapter returned ${result.length} outcomes for ${group.length} events`),
    );
  } catch (error) {
    // Adapters must classify failures themselves; an exception leaves the outcome unknown, so retrying is the safe answer.
    return group.map(() => retriable(`The adapter failed: ${describeError(error)}`));
  }
}

export function createSyncDelivery(targets: TargetRegistry, observer: Observer): DeliveryLayer {
  return {
    async deliver(plan, ctx) {
      const groups = [...groupByTarget(plan.deliveries)];
      const window = openAttemptWindow(ctx);
      const perTarget = await Promise.all(
        groups.map(async ([target, group]) => {
          const started = ctx.clock.now();
          const outcomes = await targets.get(target).then(
            (adapter) => attempt(adapter, group, ctx, window),
            (error: unknown) =>
              group.map(() =>
                retriable(
                  `Target "${target}" is not available: ${error instanceof Error ? error.message : error}`,
                ),
              ),
          );
          const durationMs = ctx.clock.now() - started;
          return group.map((delivery, i): DeliveryResult => {
            const outcome = outcomes[i] as PublishOutcome;
            const { id, source } = delivery.message.event.attributes;
            observer.report({ stage: "delivered", ctx, target, eventId: id, source, outcome, durationMs });
            return { eventIndex: delivery.eventIndex, target, outcome };
          });
        }),
      ).finally(() => window.dispose());
      return perTarget.flat();
    },
  };
}
