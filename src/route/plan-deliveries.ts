/**
 * The route stage: turns validated events into a delivery plan, one entry per
 * (event, distinct target) with the target's expanded address and its
 * encoding, or refuses the request: 413 an event too large for a matched target, 422 no route or an
 * address the target cannot use. Failures of all events are listed together.
 */
import type { OutboundMessage } from "../adapter/adapter.js";
import type { TargetRegistry } from "../adapter/target-registry.js";
import { type FieldFailure, GatewayError } from "../errors/errors.js";
import type { CloudEvent } from "../event/cloud-event.js";
import { eventWireSize } from "../event/json-format.js";
import { addressFor, matchTargets, type RoutingTable } from "./routing-table.js";

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
}

export interface DeliveryPlan {
  readonly events: readonly CloudEvent[];
  readonly deliveries: readonly PlannedDelivery[];
}

/**
 * Routes and sizes every event, synchronously: reads the routing table, each
 * target's encoding (from its descriptor and options) and the limits adapters
 * already created have learned (a NATS server's max_payload). It creates no
 * adapter and opens no connection. What it encoded travels in the plan.
 * `routed` is where the transform stage sent each event (see
 * ../transform/transform-stage.ts) when a route has a transform; without it
 * the events are matched here, as received. Addresses and sizes are those of
 * the event each target gets.
 */
export function planDeliveries(
  events: readonly CloudEvent[],
  table: RoutingTable,
  targets: TargetRegistry,
  routed?: readonly (readonly Destination[])[],
): DeliveryPlan {
  const deliveries: PlannedDelivery[] = [];
  const tooLarge: FieldFailure[] = [];
  const unroutable: FieldFailure[] = [];

  const plan = (eventIndex: number, target: string, event: CloudEvent, route?: string): void => {
    // A failure of an event a transform made names the route that made it.
    const made = route === undefined ? undefined : { route };
    const addressed = addressFor(event, target, table);
    if (!addressed.ok) {
      unroutable.push({
        index: eventIndex,
        pointer: "",
        target,
        ...made,
        code: "invalid-address",
        detail: addressed.reason,
      });
      return;
    }
    const { ok: _ok, ...where } = addressed;
    const message: OutboundMessage = { event, ...where };
    const live = targets.created(target);
    const encoding = table.encodings.get(target) ?? live?.encoding;
    const encoded = encoding?.encode(message);
    const limit = live?.capabilities.maxEventBytes ?? encoding?.maxEventBytes ?? Number.POSITIVE_INFINITY;
    // Not encodable for a reason other than size: the adapter refuses it when published, saying why.
    const size = encoded === undefined ? eventWireSize(event) : encoded.ok ? encoded.size : 0;
    if (encoded?.ok === false && encoded.tooLarge) {
      tooLarge.push({
        index: eventIndex,
        pointer: "",
        target,
        ...made,
        code: "event-too-large",
        detail: encoded.reason,
      });
    } else if (size > limit) {
      const detail = `The event is ${size} bytes; target "${target}" carries at most ${limit}`;
      tooLarge.push({ index: eventIndex, pointer: "", target, ...made, code: "event-too-large", detail });
    }
    deliveries.push({
      eventIndex,
      target,
      message: encoded === undefined ? message : { ...message, encoded },
    });
  };

  for (const [eventIndex, event] of events.entries()) {
    const destinations = routed?.[eventIndex];
    let count: number;
    if (destinations === undefined) {
      const matched = matchTargets(event, table);
      count = matched.length;
      for (const target of matched) plan(eventIndex, target, event);
    } else {
      count = destinations.length;
      for (const to of destinations) plan(eventIndex, to.target, to.event, to.route);
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
  return { events, deliveries };
}
