/**
 * The gateway's metrics on Workers, as Workers Analytics Engine data points,
 * when the Worker has a dataset bound as METRICS (`analytics_engine_datasets`
 * in wrangler.toml). Without it nothing is written beyond the structured
 * logs, which already carry each report.
 *
 * Every data point is one counter increment, named as the Prometheus metric
 * the Node gateway exposes: `index1` and `blob1` are the metric's name,
 * `blob2`.. its labels in the order listed below, `double1` the increment.
 * A publish also carries its duration in seconds (`double2`) and its
 * retries (`double3`). Labels are what the config or the gateway names,
 * never a producer's values (see ../../observe/metrics-observer.ts).
 */
import type { Gateway } from "../../http/create-gateway.js";
import {
  type GatewayMetrics,
  metricsObserver,
  type PublishOutcomeLabel,
} from "../../observe/metrics-observer.js";
import type { Observer } from "../../observe/observer.js";

/** The part of an Analytics Engine dataset binding the gateway writes with. */
export interface AnalyticsEngineDataset {
  writeDataPoint(point: {
    readonly indexes?: readonly string[];
    readonly blobs?: readonly string[];
    readonly doubles?: readonly number[];
  }): void;
}

export function isAnalyticsEngineDataset(binding: unknown): binding is AnalyticsEngineDataset {
  return (
    typeof binding === "object" &&
    binding !== null &&
    typeof (binding as { writeDataPoint?: unknown }).writeDataPoint === "function"
  );
}

/** The metrics as data points; blob order per metric is the label order documented in the README. */
export class AnalyticsEngineMetrics implements GatewayMetrics {
  readonly #dataset: AnalyticsEngineDataset;

  constructor(dataset: AnalyticsEngineDataset) {
    this.#dataset = dataset;
  }

  #write(name: string, labels: readonly string[], doubles: readonly number[]): void {
    this.#dataset.writeDataPoint({ indexes: [name], blobs: [name, ...labels], doubles });
  }

  eventsReceived(mode: string, count: number): void {
    this.#write("ce_gateway_events_received_total", [mode], [count]);
  }
  eventsAccepted(count: number): void {
    this.#write("ce_gateway_events_accepted_total", [], [count]);
  }
  requestRefused(reason: string, statusClass: string): void {
    this.#write("ce_gateway_requests_refused_total", [reason, statusClass], [1]);
  }
  requestFailed(reason: string, statusClass: string): void {
    this.#write("ce_gateway_requests_failed_total", [reason, statusClass], [1]);
  }
  clientGone(): void {
    this.#write("ce_gateway_requests_client_gone_total", [], [1]);
  }
  routeMatched(route: string): void {
    this.#write("ce_gateway_route_matches_total", [route], [1]);
  }
  published(target: string, outcome: PublishOutcomeLabel, seconds: number, retries: number): void {
    this.#write("ce_gateway_publishes_total", [target, outcome], [1, seconds, retries]);
  }
  deadLettered(target: string, deadLetter: string, outcome: PublishOutcomeLabel): void {
    this.#write("ce_gateway_dead_letters_total", [target, deadLetter, outcome], [1]);
  }
  outboxDropped(target: string, reason: "refused" | "undecodable"): void {
    this.#write("ce_gateway_outbox_dropped_total", [target, reason], [1]);
  }
  storeUnavailable(store: "outbox" | "dedup", operation: string): void {
    this.#write("ce_gateway_store_errors_total", [store, operation], [1]);
  }
  contractWarning(): void {
    this.#write("ce_gateway_contract_warnings_total", [], [1]);
  }
}

/** The observer writing to `dataset`; route matches read the routes of the gateway `current` returns. */
export function analyticsEngineObserver(
  dataset: AnalyticsEngineDataset,
  current: () => Gateway | undefined,
): Observer {
  return metricsObserver(new AnalyticsEngineMetrics(dataset), {
    routesOf: (event) =>
      current()
        ?.state.routing.index.matching(event)
        .map((route) => route.name) ?? [],
  });
}
