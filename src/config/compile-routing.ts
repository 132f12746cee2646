/**
 * Compiles the routing part of a config (routes, filters, target address
 * templates) into the routing table, checking every reference. Throws one
 * ConfigError listing every problem, each with its path.
 */

import type { TargetEncoding } from "../adapter/adapter.js";
import { type TargetCatalog, targetTypeOf } from "../adapter/catalog.js";
import type { TargetConfig } from "../adapter/target-registry.js";
import { type DeliveryPolicy, type RoutePolicy, retryPolicyOf } from "../deliver/delivery-policy.js";
import { describeError } from "../errors/errors.js";
import { allOf, compileFilter, FilterCompileError } from "../filter/compile-filter.js";
import { type Route, typeKeyOf } from "../route/route.js";
import { RouteIndex } from "../route/route-index.js";
import type { RoutingTable, TargetAddressPlan } from "../route/routing-table.js";
import { compileTemplate, type Template } from "../route/template.js";
import { compileTransform, TransformCompileError } from "../transform/compile-transform.js";
import { ConfigError, type ConfigIssue } from "./config-error.js";
import { formatPath } from "./config-path.js";
import { adapterOptionsOf, targetDeliveryOf } from "./delivery-config.js";
import { DEFAULT_DELIVERY_TIMEOUT_MS, type GatewayConfig, type RouteConfig } from "./gateway-config.js";
import { queueOrderingIssues } from "./queue-ordering.js";

/** Compiles, recording a failure as an issue instead of throwing. */
function attempt<T>(issues: ConfigIssue[], path: string, compile: () => T): T | undefined {
  try {
    return compile();
  } catch (error) {
    // A filter error says which part of the filter tree is at fault.
    if (error instanceof FilterCompileError)
      issues.push({ path: `${path}${error.path}`, message: describeError(error), cause: error.cause });
    // A transform reports each expression and attribute name at fault, with its place in the expression.
    else if (error instanceof TransformCompileError) {
      for (const problem of error.problems) {
        issues.push({
          path: `${path}.${formatPath(problem.path)}`,
          message: problem.message,
          ...(problem.cause && { cause: problem.cause }),
        });
      }
    } else issues.push({ path, message: describeError(error), cause: error });
    return undefined;
  }
}

function addressPlan(name: string, target: TargetConfig, catalog: TargetCatalog, issues: ConfigIssue[]) {
  const addressing = targetTypeOf(catalog, target.type)?.descriptor.addressing;
  if (addressing === undefined) return undefined;
  const template = (option: string | undefined): Template | undefined => {
    const source = option === undefined ? undefined : target[option];
    if (typeof source !== "string") return undefined;
    const path = formatPath(["targets", name, option ?? ""]);
    const compiled = attempt(issues, path, () => compileTemplate(source));
    // A template without placeholders is one fixed address: check it now rather than on every event.
    const violation =
      compiled?.attributes.length === 0 && option === addressing.address
        ? addressing.checkAddress?.(source)
        : undefined;
    if (violation !== undefined)
      issues.push({ path, message: `address ${JSON.stringify(source)} ${violation}` });
    return compiled;
  };
  const plan: TargetAddressPlan = {
    ...(addressing.address && { address: template(addressing.address) }),
    ...(addressing.orderingKey && { orderingKey: template(addressing.orderingKey) }),
    ...(addressing.checkAddress && { checkAddress: addressing.checkAddress }),
  };
  return plan;
}

/** The target's encoding for its options, from its descriptor: no adapter is created. */
function encodingOf(target: TargetConfig, catalog: TargetCatalog): TargetEncoding | undefined {
  // The catalog erases each descriptor's options type; these options passed its schema when the config loaded.
  const encoding = targetTypeOf(catalog, target.type)?.descriptor.encoding as
    | ((options: Readonly<Record<string, unknown>>) => TargetEncoding)
    | undefined;
  if (encoding === undefined) return undefined;
  return encoding(adapterOptionsOf(target));
}

/** What a route sets of its deliveries' policy; undefined when it sets nothing (the common case, kept cheap). */
function routePolicyOf(route: RouteConfig, orderingKey: Template | undefined): RoutePolicy | undefined {
  const async = route.ack === "async";
  if (route.retry === undefined && route.timeoutMs === undefined && route.deadLetter === undefined && !async)
    return undefined;
  return {
    ...(async && { async }),
    ...(orderingKey !== undefined && { orderingKey }),
    ...(route.retry !== undefined && { retry: retryPolicyOf(route.retry) }),
    ...(route.timeoutMs !== undefined && { budgetMs: route.timeoutMs }),
    ...(route.deadLetter !== undefined && { deadLetter: route.deadLetter }),
  };
}

export function compileRouting(
  config: GatewayConfig,
  knownTargets: ReadonlySet<string>,
  catalog: TargetCatalog,
): RoutingTable {
  const issues: ConfigIssue[] = [];
  const names = new Set<string>();
  const routes: Route[] = [];
  (config.routes ?? []).forEach((route, i) => {
    if (names.has(route.name))
      issues.push({ path: `routes[${i}].name`, message: `duplicate route name "${route.name}"` });
    names.add(route.name);
    route.to.forEach((target, j) => {
      if (!knownTargets.has(target))
        issues.push({ path: `routes[${i}].to[${j}]`, message: `unknown target "${target}"` });
    });
    const filters = route.filters ?? [];
    const compiled = filters.map((filter, j) =>
      attempt(issues, `routes[${i}].filters[${j}]`, () => compileFilter(filter)),
    );
    const written = route.transform;
    const transform =
      written === undefined
        ? undefined
        : attempt(issues, `routes[${i}].transform`, () => compileTransform(written, route.name));
    if (route.ack === "async" && config.delivery?.outbox === undefined)
      issues.push({
        path: `routes[${i}].ack`,
        message: "ack: async needs an outbox: configure delivery.outbox",
      });
    if (route.deadLetter !== undefined && !knownTargets.has(route.deadLetter))
      issues.push({ path: `routes[${i}].deadLetter`, message: `unknown target "${route.deadLetter}"` });
    const keyTemplate = route.orderingKey;
    const orderingKey =
      keyTemplate === undefined
        ? undefined
        : attempt(issues, `routes[${i}].orderingKey`, () => compileTemplate(keyTemplate));
    if (compiled.every((f) => f !== undefined)) {
      routes.push({
        name: route.name,
        to: [...new Set(route.to)],
        stop: route.stop ?? false,
        filter: allOf(compiled),
        typeKey: typeKeyOf(filters),
        transform,
        policy: routePolicyOf(route, orderingKey),
        ...(route.trace?.addExtension === true && { addTraceExtension: true }),
      });
    }
  });

  const addressing = new Map<string, TargetAddressPlan>();
  const encodings = new Map<string, TargetEncoding>();
  for (const [name, target] of Object.entries(config.targets ?? {})) {
    const plan = addressPlan(name, target, catalog, issues);
    if (plan !== undefined) addressing.set(name, plan);
    const encoding = encodingOf(target, catalog);
    if (encoding !== undefined) encodings.set(name, encoding);
  }
  issues.push(...queueOrderingIssues(config, addressing));
  const targetPolicies = new Map<string, DeliveryPolicy>();
  for (const name of knownTargets) {
    const target = config.targets?.[name];
    const retry = retryPolicyOf(target === undefined ? undefined : targetDeliveryOf(target).retry);
    targetPolicies.set(name, { retry, deadLetter: undefined });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    routes,
    index: new RouteIndex(routes),
    unmatched: config.unmatched ?? "reject",
    addressing,
    encodings,
    hasTransforms: routes.some((route) => route.transform !== undefined),
    targetPolicies,
    budgetMs: config.delivery?.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
    hasRoutePolicies: routes.some((route) => route.policy !== undefined),
    addsTraceExtension: routes.some((route) => route.addTraceExtension === true),
  };
}
