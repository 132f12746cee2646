/**
 * The route stage: turns validated events into a delivery plan, one entry per
 * (event, distinct target), or refuses the request (422 no route, 413 an event
 * too large for a matched target). Failures of all events are listed together.
 */
import type { Adapter, OutboundMessage } from "../adapter/adapter.js";
import type { TargetRegistry } from "../adapter/target-registry.js";
import { type FieldFailure, GatewayError } from "../errors/errors.js";
import type { CloudEvent } from "../event/cloud-event.js";
import { eventWireSize } from "../event/json-format.js";
import type { Route, UnmatchedPolicy } from "./route.js";

export interface PlannedDelivery {
  readonly eventIndex: number;
  readonly target: string;
  readonly message: OutboundMessage;
}

export interface DeliveryPlan {
  readonly events: readonly CloudEvent[];
  readonly deliveries: readonly PlannedDelivery[];
}

/** Distinct targets of every matching route, in route order, honouring `stop`. */
export function matchTargets(event: CloudEvent, routes: readonly Route[]): string[] {
  const targets: string[] = [];
  for (const route of routes) {
    if (!route.matches(event)) continue;
    for (const target of route.to) if (!targets.includes(target)) targets.push(target);
    if (route.stop) break;
  }
  return targets;
}

async function adapterOrUndefined(targets: TargetRegistry, name: string): Promise<Adapter | undefined> {
  // A target whose adapter cannot be created now is reported by delivery (503), not here.
  return targets.get(name).catch(() => undefined);
}

export async function planDeliveries(
  events: readonly CloudEvent[],
  routes: readonly Route[],
  unmatched: UnmatchedPolicy,
  targets: TargetRegistry,
): Promise<DeliveryPlan> {
  const deliveries: PlannedDelivery[] = [];
  const noRoute: FieldFailure[] = [];
  const tooLarge: FieldFailure[] = [];
  const adapters = new Map<string, Promise<Adapter | undefined>>();

  for (const [eventIndex, event] of events.entries()) {
    const matched = matchTargets(event, routes);
    if (matched.length === 0 && unmatched === "reject") {
      noRoute.push({
        index: eventIndex,
        pointer: "",
        code: "no-route",
        detail: `No route matches type "${event.attributes.type}"`,
      });
    }
    const size = eventWireSize(event);
    for (const target of matched) {
      if (!adapters.has(target)) adapters.set(target, adapterOrUndefined(targets, target));
      const adapter = await adapters.get(target);
      const limit = adapter?.capabilities.maxEventBytes ?? Number.POSITIVE_INFINITY;
      if (size > limit) {
        tooLarge.push({
          index: eventIndex,
          pointer: "",
          target,
          code: "event-too-large",
          detail: `The event is ${size} bytes; target "${target}" carries at most ${limit}`,
        });
      }
      deliveries.push({ eventIndex, target, message: { event } });
    }
  }

  if (tooLarge.length > 0) {
    throw new GatewayError("event-too-large", "An event is larger than a matched target can carry", {
      failures: tooLarge,
    });
  }
  if (noRoute.length > 0) {
    throw new GatewayError("no-route", "No route matches an event of the request", { failures: noRoute });
  }
  return { events, deliveries };
}
