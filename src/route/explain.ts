/**
 * Route explain: for one event, every route with whether it matched and why,
 * and where the event would go, with each target's expanded address and, when
 * a route's transform reshapes it, the event that target gets.
 */
import { decodeUtf8 } from "../codec/utf8.js";
import type { FieldFailure } from "../errors/errors.js";
import type { CloudEvent } from "../event/cloud-event.js";
import { toJsonFormat } from "../event/json-format.js";
import { ExpressionBudget } from "../expression/expression-budget.js";
import { transformDeliveries } from "../transform/transform-deliveries.js";
import type { Destination } from "./plan-deliveries.js";
import type { Route } from "./route.js";
import { addressFor, type RoutingTable, routeTargets } from "./routing-table.js";

export interface RouteExplanation {
  readonly route: string;
  readonly matched: boolean;
  /** The filter verdict, or why the route was not evaluated. */
  readonly reason: string;
  readonly to: readonly string[];
}

export interface TargetExplanation {
  readonly target: string;
  readonly address?: string;
  readonly orderingKey?: string;
  /** Why the event cannot be addressed to this target (the request would get 422). */
  readonly error?: string;
  /** The route whose transform made the event this target gets. */
  readonly transformedBy?: string;
  /** The route whose event, as received, this target also gets from an earlier route's transform, so its id was renamed. */
  readonly renamedFor?: string;
  /** The event this target gets, in the JSON format, when it differs from the one received. */
  readonly event?: unknown;
}

export interface RoutingExplanation {
  readonly event: { readonly id: string; readonly source: string; readonly type: string };
  readonly routes: readonly RouteExplanation[];
  readonly targets: readonly TargetExplanation[];
  /**
   * Why a matched route's transform cannot make a valid event (the request
   * would get 422 transform-failed): the core spec only, not the schema registry.
   */
  readonly transformFailures?: readonly FieldFailure[];
  /** What the gateway would do: deliver, reject (422 no-route, invalid-address or transform-failed) or accept unrouted. */
  readonly outcome:
    | "deliver"
    | "reject: no-route"
    | "reject: invalid-address"
    | "reject: transform-failed"
    | "accept: no targets";
}

/** Where the matched routes send the event, running their transforms as a request would. */
async function destinationsOf(
  event: CloudEvent,
  matched: readonly Route[],
): Promise<{ destinations: readonly Destination[]; failures: readonly FieldFailure[] }> {
  const pairs = routeTargets(matched);
  if (pairs.every((pair) => pair.route.transform === undefined))
    return { destinations: pairs.map(({ target }) => ({ target, event })), failures: [] };
  return transformDeliveries(event, pairs, new ExpressionBudget(), { index: 0, pointerPrefix: "" });
}

const jsonOf = (event: CloudEvent): unknown => JSON.parse(decodeUtf8(toJsonFormat(event)) ?? "null");

export async function explainRouting(event: CloudEvent, table: RoutingTable): Promise<RoutingExplanation> {
  const routes: RouteExplanation[] = [];
  const matched: Route[] = [];
  let stoppedBy: string | undefined;
  for (const route of table.routes) {
    if (stoppedBy !== undefined) {
      routes.push({
        route: route.name,
        matched: false,
        reason: `not evaluated: route "${stoppedBy}" matched with stop`,
        to: route.to,
      });
      continue;
    }
    const verdict = route.filter.explain(event);
    routes.push({ route: route.name, matched: verdict.matched, reason: verdict.reason, to: route.to });
    if (!verdict.matched) continue;
    matched.push(route);
    if (route.stop) stoppedBy = route.name;
  }
  const { destinations, failures } = await destinationsOf(event, matched);
  const transforming = new Set(matched.filter((r) => r.transform !== undefined).map((r) => r.name));
  const targets = destinations.map((to): TargetExplanation => {
    const made =
      to.route === undefined
        ? {}
        : {
            ...(transforming.has(to.route) ? { transformedBy: to.route } : { renamedFor: to.route }),
            event: jsonOf(to.event),
          };
    const addressed = addressFor(to.event, to.target, table);
    if (!addressed.ok) return { target: to.target, error: addressed.reason, ...made };
    const { ok: _ok, ...where } = addressed;
    return { target: to.target, ...where, ...made };
  });
  const { id, source, type } = event.attributes;
  let outcome: RoutingExplanation["outcome"] = "deliver";
  if (failures.length > 0) outcome = "reject: transform-failed";
  else if (targets.length === 0)
    outcome = table.unmatched === "reject" ? "reject: no-route" : "accept: no targets";
  else if (targets.some((t) => t.error !== undefined)) outcome = "reject: invalid-address";
  return {
    event: { id, source, type },
    routes,
    targets,
    ...(failures.length > 0 && { transformFailures: failures }),
    outcome,
  };
}

/** The explanation as lines of text for a terminal. */
export function formatExplanation(explanation: RoutingExplanation): string {
  const { event } = explanation;
  const lines = [`event ${event.id} from ${event.source}, type ${event.type}`, "routes:"];
  for (const route of explanation.routes) {
    lines.push(`  ${route.matched ? "✓" : "✗"} ${route.route} -> [${route.to.join(", ")}]: ${route.reason}`);
  }
  lines.push("targets:");
  if (explanation.targets.length === 0) lines.push("  (none)");
  for (const target of explanation.targets) {
    const details = [
      target.address === undefined ? undefined : `address ${target.address}`,
      target.orderingKey === undefined ? undefined : `ordering key ${target.orderingKey}`,
      target.error === undefined ? undefined : `ERROR ${target.error}`,
    ].filter((d) => d !== undefined);
    lines.push(`  ${target.target}${details.length > 0 ? `: ${details.join(", ")}` : ""}`);
    if (target.transformedBy !== undefined)
      lines.push(`    transformed by ${target.transformedBy}: ${JSON.stringify(target.event)}`);
    if (target.renamedFor !== undefined)
      lines.push(
        `    renamed for ${target.renamedFor} (an earlier route sends this target the same source and id): ${JSON.stringify(target.event)}`,
      );
  }
  if (explanation.transformFailures !== undefined) {
    lines.push("transform failures:");
    for (const failure of explanation.transformFailures)
      lines.push(`  ${failure.pointer}: ${failure.detail}`);
  }
  lines.push(`outcome: ${explanation.outcome}`);
  return lines.join("\n");
}
