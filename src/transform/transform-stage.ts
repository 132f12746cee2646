/**
 * The route stage's transform step, run only when some route has a
 * transform: matches each event, runs the transforms of its matching routes
 * under one expression budget for the whole request, and checks every event a
 * transform made as any received event is checked (the core spec, then its
 * data contract under its own type). Any failure refuses the whole request
 * with 422 transform-failed before anything is delivered, as the route
 * stage's other refusals do; each failure names the route and the attribute.
 */
import { GatewayError } from "../errors/errors.js";
import { FailureList } from "../errors/failure-list.js";
import type { CloudEvent } from "../event/cloud-event.js";
import { ExpressionBudget } from "../expression/expression-budget.js";
import type { Destination } from "../route/plan-deliveries.js";
import { type RoutingTable, routeTargets } from "../route/routing-table.js";
import type { ContractVerdict, EventPosition, EventValidator } from "../validate/event-validator.js";
import { transformDeliveries } from "./transform-deliveries.js";

export interface ContractWarning {
  readonly event: CloudEvent;
  readonly verdict: ContractVerdict;
}

export interface RoutedEvents {
  /** For each event of the request, in order: where it goes, and as which event. */
  readonly destinations: readonly (readonly Destination[])[];
  /** Events a transform made that break their contract in warn mode: accepted, and reported. */
  readonly warnings: readonly ContractWarning[];
}

/** Checks each distinct event a transform made against its data contract. */
function checkContracts(
  destinations: readonly Destination[],
  validator: EventValidator,
  position: EventPosition,
  failures: FailureList,
  warnings: ContractWarning[],
): void {
  const checked = new Set<CloudEvent>();
  for (const { event, route } of destinations) {
    if (route === undefined || checked.has(event)) continue;
    checked.add(event);
    const verdict = validator.validate(event, position);
    for (const failure of verdict.failures)
      failures.add({ ...failure, route, detail: `route "${route}": ${failure.detail}` });
    if (verdict.warnings.length > 0) warnings.push({ event, verdict });
  }
}

export async function routeAndTransform(
  events: readonly CloudEvent[],
  table: RoutingTable,
  validator: EventValidator,
  batched: boolean,
): Promise<RoutedEvents> {
  const budget = new ExpressionBudget();
  const failures = new FailureList();
  const destinations: (readonly Destination[])[] = [];
  const warnings: ContractWarning[] = [];
  let checked = 0;
  for (const [index, event] of events.entries()) {
    if (failures.full) break;
    checked++;
    const pairs = routeTargets(table.index.matching(event));
    if (pairs.every((pair) => pair.route.transform === undefined)) {
      destinations.push(pairs.map(({ target }) => ({ target, event })));
      continue;
    }
    const position = { index, pointerPrefix: batched ? `/${index}` : "" };
    const result = await transformDeliveries(event, pairs, budget, position);
    for (const failure of result.failures) failures.add(failure);
    // The budget is the request's: every later expression would fail the same way.
    if (result.budgetSpent) break;
    checkContracts(result.destinations, validator, position, failures, warnings);
    destinations.push(result.destinations);
  }
  if (failures.size === 0) return { destinations, warnings };
  const unchecked = events.length - checked;
  throw new GatewayError(
    "transform-failed",
    unchecked === 0
      ? "A matched route's transform cannot make a valid event"
      : `A matched route's transform cannot make a valid event; ${unchecked} event(s) were not transformed`,
    { failures: failures.kept, failuresOmitted: failures.omitted, failuresIncomplete: unchecked > 0 },
  );
}
