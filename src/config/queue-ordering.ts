/**
 * Ordering with a Cloudflare Queue outbox: declared unsupported, and refused
 * when the config asks for it. Queues does not deliver in order (a message
 * retried, or one of a batch that failed, comes back after later ones), and
 * keeping per-key order on top of it would take a Durable Object per key in
 * front of the queue. So on Workers `ack: async` promises delivery, not
 * order; a config that asks for order on an asynchronous path is refused
 * when it is built, rather than silently delivering out of order:
 * - a route with `ack: async` and an `orderingKey`;
 * - a target with an ordering key option (Pub/Sub's `orderingKey`) that an
 *   asynchronous path reaches: an async route, or any route when a source
 *   accepts asynchronously (a source's events may match every route).
 * The default key, the `partitionkey` extension, is only ever a default:
 * with a queue outbox it orders nothing (README: "Ordering").
 */
import type { TargetAddressPlan } from "../route/routing-table.js";
import type { ConfigIssue } from "./config-error.js";
import type { GatewayConfig } from "./gateway-config.js";

const WHY = "a queue outbox (delivery.outbox.type: queue) does not keep order";

export function queueOrderingIssues(
  config: GatewayConfig,
  addressing: ReadonlyMap<string, TargetAddressPlan>,
): ConfigIssue[] {
  if (config.delivery?.outbox?.type !== "queue") return [];
  // With an outbox configured, a source that says nothing accepts asynchronously.
  const asyncSource = (config.ingest?.sources ?? []).some((source) => (source.ack ?? "async") === "async");
  const issues: ConfigIssue[] = [];
  const reported = new Set<string>();
  (config.routes ?? []).forEach((route, i) => {
    const async = route.ack === "async";
    if (async && route.orderingKey !== undefined)
      issues.push({ path: `routes[${i}].orderingKey`, message: `ordering is not supported: ${WHY}` });
    if (!async && !asyncSource) return;
    route.to.forEach((target, j) => {
      if (addressing.get(target)?.orderingKey === undefined || reported.has(target)) return;
      reported.add(target);
      issues.push({
        path: `routes[${i}].to[${j}]`,
        message: `target "${target}" sets an ordering key, and events reach it asynchronously: ${WHY}`,
      });
    });
  });
  return issues;
}
