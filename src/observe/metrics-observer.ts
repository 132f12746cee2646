/**
 * Turns the pipeline's reports into metrics, for any runtime: the entry
 * supplies where they go (prom-client on Node, Analytics Engine on Workers)
 * as a GatewayMetrics. Labels are only what the config or the gateway names
 * (route, target, problem code, status class, outcome, mode): never an
 * event's type, source or anything else a producer writes, so a producer
 * cannot grow a metric's series without bound.
 */
import type { CloudEvent } from "../event/cloud-event.js";
import type { GatewayReport, Observer } from "./observer.js";

export type PublishOutcomeLabel = "acked" | "retriable" | "terminal";

/** What a metrics backend records; each method is one counter or histogram family. */
export interface GatewayMetrics {
  /** Events decoded from requests, by how they came (structured, binary, batch, a source's name). */
  eventsReceived(mode: string, count: number): void;
  /** Events in requests answered 2xx. */
  eventsAccepted(count: number): void;
  /** A request refused before delivery (4xx), or that failed in the gateway (5xx). */
  requestRefused(reason: string, statusClass: string): void;
  /** A request answered 502/503 because a target did not take an event. */
  requestFailed(reason: string, statusClass: string): void;
  /** A request whose client went away before delivery finished. */
  clientGone(): void;
  /** An event matched a route (a route per match). */
  routeMatched(route: string): void;
  /** One event's publish to a target: how it ended, how long the target's attempts took, how many of them were retries. */
  published(target: string, outcome: PublishOutcomeLabel, seconds: number, retries: number): void;
  /** A refused event written to a dead letter target, and how that write ended. */
  deadLettered(target: string, deadLetter: string, outcome: PublishOutcomeLabel): void;
  /** An outbox record dropped: refused for good with no dead letter, or undecodable. */
  outboxDropped(target: string, reason: "refused" | "undecodable"): void;
  /** A store the gateway leans on failed an operation (outbox claim/complete/reschedule, dedup lookup/record). */
  storeUnavailable(store: "outbox" | "dedup", operation: string): void;
  /** An event accepted in warn mode though it breaks its data contract. */
  contractWarning(): void;
}

/** "4xx", "5xx": the status class label. */
export const statusClassOf = (status: number): string => `${Math.floor(status / 100)}xx`;

export interface MetricsObserverOptions {
  /**
   * The names of the routes an event matches, on the current config; absent:
   * route matches are not counted. Called once per routed event, so it costs
   * a second route match per event, paid only when metrics are on.
   */
  readonly routesOf?: (event: CloudEvent) => readonly string[];
}

export function metricsObserver(metrics: GatewayMetrics, options: MetricsObserverOptions = {}): Observer {
  const { routesOf } = options;
  return {
    report(report: GatewayReport): void {
      switch (report.stage) {
        case "received":
          metrics.eventsReceived(report.mode, report.count);
          return;
        case "accepted":
          metrics.eventsAccepted(report.count);
          return;
        case "rejected":
          metrics.requestRefused(report.code, statusClassOf(report.status));
          return;
        case "delivery-failed":
          metrics.requestFailed(report.code, statusClassOf(report.status));
          return;
        case "client-gone":
          metrics.clientGone();
          return;
        case "routed":
          if (routesOf !== undefined && report.events !== undefined) {
            for (const event of report.events)
              for (const route of routesOf(event)) metrics.routeMatched(route);
          }
          return;
        case "delivered":
          metrics.published(
            report.target,
            report.outcome.status,
            report.durationMs / 1000,
            report.retries ?? Math.max(0, report.attempts - 1),
          );
          return;
        case "dead-lettered":
          metrics.deadLettered(report.target, report.deadLetter.target, report.deadLetter.outcome.status);
          return;
        case "outbox-refused":
          metrics.outboxDropped(report.target, "refused");
          return;
        case "outbox-undecodable":
          metrics.outboxDropped(report.target, "undecodable");
          return;
        case "outbox-unavailable":
          metrics.storeUnavailable("outbox", report.operation);
          return;
        case "dedup-unavailable":
          metrics.storeUnavailable("dedup", report.operation);
          return;
        case "contract-warning":
          metrics.contractWarning();
          return;
      }
    },
  };
}
