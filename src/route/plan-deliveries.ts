/**
 * The route stage: turns validated events into a delivery plan, one entry per
 * (event, distinct target) with the target's expanded address, or refuses the
 * request: 413 an event too large for a matched target, 422 no route or an
 * address the target cannot use. Failures of all events are listed together.
 */
import type { Adapter, OutboundMessage } from "../adapter/adapter.js";
import type { TargetRegistry } from "../adapter/target-registry.js";
import { type FieldFailure, GatewayError } from "../errors/errors.js";
import type { CloudEvent } from "../event/cloud-event.js";
import { eventWireSize } from "../event/json-format.js";
import { addressFor, matchTargets, type RoutingTable } from "./routing-table.js";

export interface PlannedDelivery {
  readonly eventIndex: number;
  readonly target: string;
  readonly message: OutboundMessage;
}

export interface DeliveryPlan {
  readonly events: readonly CloudEvent[];
  readonly deliveries: readonly PlannedDelivery[];
}

async function adapterOrUndefined(targets: TargetRegistry, name: string): Promise<Adapter | undefined> {
  // A target whose adapter cannot be created now is reported by delivery (503), not here.
  return targets.get(name).catch(() => undefined);
}

export async function planDeliveries(
  events: readonly CloudEvent[],
  table: RoutingTable,
  targets: TargetRegistry,
): Promise<DeliveryPlan> {
  const deliveries: PlannedDelivery[] = [];
  const tooLarge: FieldFailure[] = [];
  const unroutable: FieldFailure[] = [];
  const adapters = new Map<string, Promise<Adapter | undefined>>();

  for (const [eventIndex, event] of events.entries()) {
    const matched = matchTargets(event, table);
    if (matched.length === 0 && table.unmatched === "reject") {
      const detail = `No route matches type "${event.attributes.type}" from "${event.attributes.source}"`;
      unroutable.push({ index: eventIndex, pointer: "", code: "no-route", detail });
    }
    for (const target of matched) {
      if (!adapters.has(target)) adapters.set(target, adapterOrUndefined(targets, target));
      const adapter = await adapters.get(target);
      const addressed = addressFor(event, target, table);
      if (!addressed.ok) {
        unroutable.push({
          index: eventIndex,
          pointer: "",
          target,
          code: "invalid-address",
          detail: addressed.reason,
        });
        continue;
      }
      const { ok: _ok, ...where } = addressed;
      const message = { event, ...where };
      const limit = adapter?.capabilities.maxEventBytes ?? Number.POSITIVE_INFINITY;
      const size = adapter?.encodedSize?.(message) ?? eventWireSize(event);
      if (size > limit) {
        const detail = `The event is ${size} bytes; target "${target}" carries at most ${limit}`;
        tooLarge.push({ index: eventIndex, pointer: "", target, code: "event-too-large", detail });
      }
      deliveries.push({ eventIndex, target, message });
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
