/**
 * Compiles configured routes into matchers, checking that every target they
 * name exists. (Filters arrive with the routing issue; today a route matches
 * every event.)
 */
import type { TargetRegistry } from "../adapter/target-registry.js";
import { matchEverything, type Route } from "../route/route.js";
import { ConfigError, type ConfigIssue } from "./config-error.js";
import type { RouteConfig } from "./gateway-config.js";

export function compileRoutes(configs: readonly RouteConfig[], targets: TargetRegistry): Route[] {
  const issues: ConfigIssue[] = [];
  const names = new Set<string>();
  configs.forEach((route, i) => {
    if (names.has(route.name))
      issues.push({ path: `routes[${i}].name`, message: `duplicate route name "${route.name}"` });
    names.add(route.name);
    route.to.forEach((target, j) => {
      if (!targets.has(target))
        issues.push({ path: `routes[${i}].to[${j}]`, message: `unknown target "${target}"` });
    });
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return configs.map((route) => ({
    name: route.name,
    to: [...route.to],
    stop: route.stop ?? false,
    matches: matchEverything,
  }));
}
