/**
 * The route stage: turns validated events into a delivery plan, one entry per
 * (event, distinct target) with the target's expanded address and its
 * encoding, or refuses the request: 413 an event too large for a matched target, 422 no route or an
 * address the target cannot use. Failures of all events are listed together.
 */
import type { OutboundMessage } from "../adapter/adapter.js";
import type { TargetRegistry } from "../adapter/target-registry.js";
import type { TraceContext } from "../context/request-context.js";
import type { DeliveryPolicy } from "../deliver/delivery-policy.js";
import { type FieldFailure, GatewayError } from "../errors/errors.js";
import type { CloudEvent } from "../event/cloud-event.js";
import { withTraceExtension } from "../observe/tracing/trace-extension.js";
import { planMessage } from "./plan-message.js";
import type { Route } from "./route.js";
import { matchTargets, policyFor, type RoutingTable, routeBudgetMs } from "./routing-table.js";

/** Where an event goes and as which event (a route's transform may have reshaped it). */
export interface Destination {
  readonly target: string;
  readonly event: CloudEvent;
  /** The route whose transform made `event` (or renamed it); absent: the event as received. */
  readonly route?: string;
}

export interface PlannedDelivery {
  readonly eventIndex: number;
  readonly target: string;
  readonly message: OutboundMessage;
  /** Its retry policy and dead letter (the strictest of the routes sending it: ../deliver/delivery-policy.ts). */
  readonly policy: DeliveryPolicy;
  /** The route whose transform made the event; absent: the event as received. */
  readonly route?: string;
}

export interface DeliveryPlan {
  readonly events: readonly CloudEvent[];
  readonly deliveries: readonly PlannedDelivery[];
  /** The time for all attempts of the request: the shortest budget of the routes its events matched. */
  readonly budgetMs: number;
}

/**
 * Routes and sizes every event, synchronously: reads the routing table, each
 * target's encoding (from its descriptor and options) and the limits adapters
 * already created have learned (a NATS server's max_payload). It creates no
 * adapter and opens no connection. What it encoded travels in the plan.
 * `routed` is where the transform stage sent each event (see
 * ../transform/transform-stage.ts) when a route has a transform; without it
 * the events are matched here, as received. Addresses and sizes are those of
 * the event each target gets. `startingTrace` is what a route with
 * `trace: { addExtension: true }` adds to an event without a `traceparent`
 * (../observe/tracing/trace-extension.ts), before it is sized.
 */
export function planDeliveries(
  events: readonly CloudEvent[],
  table: RoutingTable,
  targets: TargetRegistry,
  routed?: readonly (readonly Destination[])[],
  startingTrace?: TraceContext,
): DeliveryPlan {
  const deliveries: PlannedDelivery[] = [];
  const tooLarge: FieldFailure[] = [];
  const unroutable: FieldFailure[] = [];

  let budgetMs = Number.POSITIVE_INFINITY;
  const plan = (
    eventIndex: number,
    target: string,
    event: CloudEvent,
    policy: DeliveryPolicy,
    route?: string,
    tracing?: readonly Route[],
  ): void => {
    // A route sending the event to this target asks for the tracing extension.
    const sent =
      startingTrace !== undefined && tracing?.some((r) => r.to.includes(target)) === true
        ? withTraceExtension(event, startingTrace)
        : event;
    const planned = planMessage(sent, target, table, targets);
    if (!planned.ok) {
      // A failure of an event a transform made names the route that made it.
      const failure: FieldFailure = {
        index: eventIndex,
        pointer: "",
        target,
        ...(route !== undefined && { route }),
        code: planned.code,
        detail: planned.detail,
      };
      (planned.code === "event-too-large" ? tooLarge : unroutable).push(failure);
      return;
    }
    deliveries.push({
      eventIndex,
      target,
      message: planned.message,
      policy,
      ...(route !== undefined && { route }),
    });
  };

  for (const [eventIndex, event] of events.entries()) {
    const destinations = routed?.[eventIndex];
    // Without route policies (the common case) each target's own policy applies: no route is looked up again.
    const matchedRoutes = table.hasRoutePolicies ? table.index.matching(event) : undefined;
    if (matchedRoutes !== undefined) {
      for (const route of matchedRoutes) budgetMs = Math.min(budgetMs, routeBudgetMs(route, table));
    }
    const tracing =
      startingTrace !== undefined && table.addsTraceExtension === true
        ? (matchedRoutes ?? table.index.matching(event)).filter((route) => route.addTraceExtension === true)
        : undefined;
    let count: number;
    if (destinations === undefined) {
      const matched = matchTargets(event, table);
      count = matched.length;
      for (const target of matched)
        plan(eventIndex, target, event, policyFor(target, matchedRoutes, table), undefined, tracing);
    } else {
      count = destinations.length;
      for (const to of destinations)
        plan(eventIndex, to.target, to.event, policyFor(to.target, matchedRoutes, table), to.route, tracing);
    }
    if (count === 0 && table.unmatched === "reject") {
      const detail = `No route matches type "${event.attributes.type}" from "${event.attributes.source}"`;
      unroutable.push({ index: eventIndex, pointer: "", code: "no-route", detail });
    }
  }

  if (tooLarge.length > 0) {
    throw new GatewayError("event-too-large", "An event is larger than a matched target can carry", {
      failures: tooLarge,
    });
  }
  if (unroutable.length > 0) {
    const onlyNoRoute = unroutable.every((f) => f.code === "no-route");
    throw new GatewayError(
      onlyNoRoute ? "no-route" : "invalid-address",
      onlyNoRoute
        ? "No route matches an event of the request"
        : "An event cannot be addressed to a matched target",
      { failures: unroutable },
    );
  }
  return { events, deliveries, budgetMs: Number.isFinite(budgetMs) ? budgetMs : table.budgetMs };
}
