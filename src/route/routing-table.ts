/**
 * Everything the route stage needs, compiled from the config once: the routes
 * and their index, the unmatched policy, and each target's address templates.
 */
import type { TargetEncoding } from "../adapter/adapter.js";
import { type DeliveryPolicy, NO_RETRY, strictestPolicy } from "../deliver/delivery-policy.js";
import type { CloudEvent } from "../event/cloud-event.js";
import type { Route, UnmatchedPolicy } from "./route.js";
import type { RouteIndex } from "./route-index.js";
import type { Template } from "./template.js";

export interface TargetAddressPlan {
  readonly address?: Template;
  readonly orderingKey?: Template;
  readonly checkAddress?: (address: string) => string | undefined;
}

export interface RoutingTable {
  readonly routes: readonly Route[];
  readonly index: RouteIndex;
  readonly unmatched: UnmatchedPolicy;
  readonly addressing: ReadonlyMap<string, TargetAddressPlan>;
  /** Each configured target's encoding, from its descriptor and options (absent: the JSON format). */
  readonly encodings: ReadonlyMap<string, TargetEncoding>;
  /** Whether any route has a transform; without one, routing evaluates no expression and awaits nothing. */
  readonly hasTransforms: boolean;
  /** Each target's own policy (its retry, no dead letter): what a delivery follows when no route says otherwise. */
  readonly targetPolicies: ReadonlyMap<string, DeliveryPolicy>;
  /** The budget for all attempts of a request (delivery.timeoutMs) when no matched route sets one. */
  readonly budgetMs: number;
  /** Whether any route sets a policy; without one, planning looks up no route per delivery. */
  readonly hasRoutePolicies: boolean;
  /** Whether any route adds the tracing extension (`trace.addExtension`); without one, planning never looks. */
  readonly addsTraceExtension?: boolean;
}

/** Distinct targets of every matching route, in route order (no route has a transform). */
export function matchTargets(event: CloudEvent, table: RoutingTable): string[] {
  const targets: string[] = [];
  for (const route of table.index.matching(event)) {
    for (const target of route.to) if (!targets.includes(target)) targets.push(target);
  }
  return targets;
}

/** A target a matching route sends the event to, reshaped by that route's transform if it has one. */
export interface RouteTarget {
  readonly target: string;
  readonly route: Route;
}

/**
 * Where the matching routes send an event, in route order: one pair per
 * target and distinct transform. Routes without a transform collapse into the
 * first of them (as matchTargets does), and so do routes whose transforms are
 * written alike; routes whose transforms differ each send their own event.
 */
export function routeTargets(routes: readonly Route[]): RouteTarget[] {
  const pairs: RouteTarget[] = [];
  for (const route of routes) {
    const key = route.transform?.key;
    for (const target of route.to) {
      if (!pairs.some((p) => p.target === target && p.route.transform?.key === key))
        pairs.push({ target, route });
    }
  }
  return pairs;
}

export type Addressed =
  | { readonly ok: true; readonly address?: string; readonly orderingKey?: string }
  | { readonly ok: false; readonly reason: string };

/** Expands a target's templates for an event, refusing an address the target could not use. */
export function addressFor(event: CloudEvent, target: string, table: RoutingTable): Addressed {
  const plan = table.addressing.get(target);
  if (plan === undefined) return { ok: true };
  let address: string | undefined;
  let orderingKey: string | undefined;
  if (plan.address !== undefined) {
    const expanded = plan.address.expand(event);
    if (!expanded.ok) return { ok: false, reason: `address "${plan.address.source}": ${expanded.reason}` };
    const violation = plan.checkAddress?.(expanded.value);
    if (violation !== undefined) {
      return {
        ok: false,
        reason: `address ${JSON.stringify(expanded.value)} from "${plan.address.source}" ${violation}`,
      };
    }
    address = expanded.value;
  }
  if (plan.orderingKey !== undefined) {
    const expanded = plan.orderingKey.expand(event);
    if (!expanded.ok)
      return { ok: false, reason: `ordering key "${plan.orderingKey.source}": ${expanded.reason}` };
    orderingKey = expanded.value;
  }
  return {
    ok: true,
    ...(address === undefined ? {} : { address }),
    ...(orderingKey === undefined ? {} : { orderingKey }),
  };
}

const NO_POLICY: DeliveryPolicy = Object.freeze({ retry: NO_RETRY, deadLetter: undefined });

/** The policy of a delivery to `target` that the routes set (or the target alone, without route policies). */
export function policyFor(target: string, matched: readonly Route[] | undefined, table: RoutingTable) {
  const own = table.targetPolicies.get(target) ?? NO_POLICY;
  if (matched === undefined) return own;
  const routes = matched.filter((route) => route.to.includes(target)).map((route) => route.policy ?? {});
  return routes.length === 0 ? own : strictestPolicy(own.retry, routes);
}

/** The budget one matched route gives a request: its own, else delivery.timeoutMs. The request gets the shortest. */
export const routeBudgetMs = (route: Route, table: RoutingTable): number =>
  route.policy?.budgetMs ?? table.budgetMs;
