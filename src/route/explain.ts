/**
 * Route explain: for one event, every route with whether it matched and why,
 * and where the event would go, with each target's expanded address.
 */
import type { CloudEvent } from "../event/cloud-event.js";
import { addressFor, type RoutingTable } from "./routing-table.js";

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
}

export interface RoutingExplanation {
  readonly event: { readonly id: string; readonly source: string; readonly type: string };
  readonly routes: readonly RouteExplanation[];
  readonly targets: readonly TargetExplanation[];
  /** What the gateway would do: deliver, reject (422 no-route or invalid-address) or accept unrouted. */
  readonly outcome: "deliver" | "reject: no-route" | "reject: invalid-address" | "accept: no targets";
}

export function explainRouting(event: CloudEvent, table: RoutingTable): RoutingExplanation {
  const routes: RouteExplanation[] = [];
  const targetNames: string[] = [];
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
    for (const target of route.to) if (!targetNames.includes(target)) targetNames.push(target);
    if (route.stop) stoppedBy = route.name;
  }
  const targets = targetNames.map((target): TargetExplanation => {
    const addressed = addressFor(event, target, table);
    if (!addressed.ok) return { target, error: addressed.reason };
    const { ok: _ok, ...where } = addressed;
    return { target, ...where };
  });
  const { id, source, type } = event.attributes;
  let outcome: RoutingExplanation["outcome"] = "deliver";
  if (targets.length === 0)
    outcome = table.unmatched === "reject" ? "reject: no-route" : "accept: no targets";
  else if (targets.some((t) => t.error !== undefined)) outcome = "reject: invalid-address";
  return { event: { id, source, type }, routes, targets, outcome };
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
  }
  lines.push(`outcome: ${explanation.outcome}`);
  return lines.join("\n");
}
