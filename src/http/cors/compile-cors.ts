/**
 * Compiles the `cors` sections into a policy per path (/events and each
 * source's path), checking what the config schema cannot: origins are
 * written exactly as browsers send them, and `*` is never combined with
 * credentials (browsers refuse that pairing, and it would let any site post
 * with the user's cookies). Throws one ConfigError listing every problem.
 */
import { ConfigError, type ConfigIssue } from "../../config/config-error.js";
import { formatPath, type PathSegment } from "../../config/config-path.js";
import type { GatewayConfig } from "../../config/gateway-config.js";
import type { CorsConfig } from "./cors-config.js";
import { CorsPolicy } from "./cors-policy.js";

/** Each path's policy; a path without one answers no CORS. */
export type CorsByPath = ReadonlyMap<string, CorsPolicy>;

/** Why an origin entry is not usable, or undefined when it is. */
function originProblem(entry: string): string | undefined {
  if (entry === "*") return undefined;
  let origin: string;
  try {
    origin = new URL(entry).origin;
  } catch {
    return `"${entry}" is not an origin (write scheme://host[:port], e.g. https://app.example.com)`;
  }
  if (origin === "null") return `"${entry}" has no origin (use an http or https URL's scheme://host[:port])`;
  if (origin !== entry) return `"${entry}" is not written as browsers send it: use "${origin}"`;
  return undefined;
}

function check(cors: CorsConfig, at: readonly PathSegment[], issues: ConfigIssue[]): void {
  const origins = cors.allowOrigins;
  origins.forEach((entry, i) => {
    const problem = originProblem(entry);
    if (problem !== undefined)
      issues.push({ path: formatPath([...at, "allowOrigins", i]), message: problem });
  });
  if (origins.includes("*") && origins.length > 1)
    issues.push({
      path: formatPath([...at, "allowOrigins"]),
      message: '"*" allows any origin: list it alone',
    });
  if (origins.includes("*") && cors.allowCredentials === true) {
    issues.push({
      path: formatPath([...at, "allowCredentials"]),
      message: 'credentials cannot be allowed for any origin ("*"): list the origins that may send them',
    });
  }
}

export function compileCors(config: GatewayConfig): CorsByPath {
  const issues: ConfigIssue[] = [];
  const policies = new Map<string, CorsPolicy>();
  const top = config.cors;
  if (top !== undefined) {
    check(top, ["cors"], issues);
    policies.set("/events", new CorsPolicy(top));
  }
  (config.ingest?.sources ?? []).forEach((source, i) => {
    const own = source.cors;
    if (own === false) return;
    if (own !== undefined) check(own, ["ingest", "sources", i, "cors"], issues);
    const effective = own ?? top;
    if (effective !== undefined) policies.set(source.path, new CorsPolicy(effective));
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return policies;
}
