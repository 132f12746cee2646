/**
 * The gateway's metrics as Prometheus families, with prom-client (Node only):
 * counters and histograms fed by the pipeline's reports (through
 * metricsObserver), gauges read from the gateway when scraped (circuits,
 * deliveries in flight, outbox depth and age, config generation), and
 * prom-client's default process and Node.js metrics. Every label is named by
 * the config or the gateway, never by a producer (see metrics-observer.ts).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { CircuitState } from "../../../deliver/circuit-breaker.js";
import type { GatewayError } from "../../../errors/errors.js";
import { type Gateway, withDeliveryStatus } from "../../../http/create-gateway.js";
import {
  type GatewayMetrics,
  metricsObserver,
  type PublishOutcomeLabel,
  statusClassOf,
} from "../../../observe/metrics-observer.js";
import type { Observer } from "../../../observe/observer.js";
import type { LimitsObserver } from "../limited-server.js";

/** Publish latency buckets, in seconds: from a local broker's sub-millisecond ack to a slow target's timeout. */
const PUBLISH_SECONDS_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/** The circuit gauge's values: 0 closed (or no breaker), 1 half-open, 2 open. */
const CIRCUIT_VALUES: Record<CircuitState | "none", number> = { none: 0, closed: 0, "half-open": 1, open: 2 };

type TargetGauges = Record<"circuit" | "inFlight" | "depth" | "bytes" | "oldest", Gauge>;

export interface Scrape {
  readonly contentType: string;
  readonly body: string;
}

export class PrometheusMetrics implements GatewayMetrics, LimitsObserver {
  readonly registry = new Registry();
  #gateway: Gateway | undefined;
  #requestsInFlight: (() => number) | undefined;

  readonly #received = this.#counter("ce_gateway_events_received_total", "Events decoded from requests.", [
    "mode",
  ]);
  readonly #accepted = this.#counter(
    "ce_gateway_events_accepted_total",
    "Events in requests answered 2xx (taken by every target, or by the outbox).",
  );
  readonly #refused = this.#counter(
    "ce_gateway_requests_refused_total",
    "Requests refused before delivery (4xx), or failed in the gateway (5xx), by problem code.",
    ["reason", "status_class"],
  );
  readonly #failed = this.#counter(
    "ce_gateway_requests_failed_total",
    "Requests answered 502 or 503 because a target did not take an event, by problem code.",
    ["reason", "status_class"],
  );
  readonly #clientGone = this.#counter(
    "ce_gateway_requests_client_gone_total",
    "Requests whose client went away before delivery finished.",
  );
  readonly #routeMatches = this.#counter("ce_gateway_route_matches_total", "Events matched by each route.", [
    "route",
  ]);
  readonly #publishes = this.#counter(
    "ce_gateway_publishes_total",
    "Events published to each target, by how the publish ended (acked, retriable, terminal).",
    ["target", "outcome"],
  );
  readonly #publishSeconds = new Histogram({
    name: "ce_gateway_publish_duration_seconds",
    help: "Time a target's publish took, retries included, by how it ended.",
    labelNames: ["target", "outcome"],
    buckets: PUBLISH_SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly #retries = this.#counter(
    "ce_gateway_publish_retries_total",
    "Attempts beyond the first made to publish to each target.",
    ["target"],
  );
  readonly #deadLetters = this.#counter(
    "ce_gateway_dead_letters_total",
    "Events refused by a target and written to its dead letter target, by how that write ended.",
    ["target", "dead_letter", "outcome"],
  );
  readonly #outboxDropped = this.#counter(
    "ce_gateway_outbox_dropped_total",
    "Outbox records removed undelivered: refused with no dead letter, or undecodable.",
    ["target", "reason"],
  );
  readonly #storeErrors = this.#counter(
    "ce_gateway_store_errors_total",
    "Failed operations of the outbox or dedup store.",
    ["store", "operation"],
  );
  readonly #contractWarnings = this.#counter(
    "ce_gateway_contract_warnings_total",
    "Events accepted in warn mode though they break their data contract.",
  );
  readonly #reloads = this.#counter(
    "ce_gateway_config_reloads_total",
    "Config reloads, by result (success, failure).",
    ["result"],
  );

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // prom-client names these three gauges with a counter's _total suffix, which promtool's lint refuses;
    // their labelled twins (nodejs_active_handles{type}, ...) stay and sum to the same.
    for (const misnamed of [
      "nodejs_active_handles_total",
      "nodejs_active_requests_total",
      "nodejs_active_resources_total",
    ])
      this.registry.removeSingleMetric(misnamed);
    const gatewayOf = () => this.#gateway;
    new Gauge({
      name: "ce_gateway_config_generation",
      help: "The config generation serving requests (1 at start, +1 per successful reload).",
      registers: [this.registry],
      collect() {
        const gateway = gatewayOf();
        if (gateway !== undefined) this.set(gateway.state.generation);
      },
    });
    const requestsInFlight = () => this.#requestsInFlight?.();
    new Gauge({
      name: "ce_gateway_requests_in_flight",
      help: "Requests the main listener is handling now (server.maxInFlight bounds them).",
      registers: [this.registry],
      collect() {
        this.set(requestsInFlight() ?? 0);
      },
    });
    this.#targetGauges();
  }

  /** Requests the listener refused itself (431, 503 overloaded) count as refused, by their problem code. */
  refusedAtListener(error: GatewayError): void {
    this.requestRefused(error.code, statusClassOf(error.status));
  }

  watchRequestsInFlight(read: () => number): void {
    this.#requestsInFlight = read;
  }

  /** Reads the scrape-time gauges from this gateway from now on. */
  watch(gateway: Gateway): void {
    this.#gateway = gateway;
  }

  /** The observer that feeds these metrics; route matches are read from the watched gateway's current routes. */
  observer(): Observer {
    return metricsObserver(this, {
      routesOf: (event) =>
        this.#gateway?.state.routing.index.matching(event).map((route) => route.name) ?? [],
    });
  }

  reloaded(result: "success" | "failure"): void {
    this.#reloads.inc({ result });
  }

  async scrape(): Promise<Scrape> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  eventsReceived(mode: string, count: number): void {
    this.#received.inc({ mode }, count);
  }
  eventsAccepted(count: number): void {
    this.#accepted.inc(count);
  }
  requestRefused(reason: string, statusClass: string): void {
    this.#refused.inc({ reason, status_class: statusClass });
  }
  requestFailed(reason: string, statusClass: string): void {
    this.#failed.inc({ reason, status_class: statusClass });
  }
  clientGone(): void {
    this.#clientGone.inc();
  }
  routeMatched(route: string): void {
    this.#routeMatches.inc({ route });
  }
  published(target: string, outcome: PublishOutcomeLabel, seconds: number, retries: number): void {
    this.#publishes.inc({ target, outcome });
    this.#publishSeconds.observe({ target, outcome }, seconds);
    if (retries > 0) this.#retries.inc({ target }, retries);
  }
  deadLettered(target: string, deadLetter: string, outcome: PublishOutcomeLabel): void {
    this.#deadLetters.inc({ target, dead_letter: deadLetter, outcome });
  }
  outboxDropped(target: string, reason: "refused" | "undecodable"): void {
    this.#outboxDropped.inc({ target, reason });
  }
  storeUnavailable(store: "outbox" | "dedup", operation: string): void {
    this.#storeErrors.inc({ store, operation });
  }
  contractWarning(): void {
    this.#contractWarnings.inc();
  }

  #counter(name: string, help: string, labelNames: string[] = []): Counter {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /**
   * The per-target gauges, read once per scrape from the targets' status
   * (what /status shows): reset first, so a target a reload removed leaves
   * no stale series.
   */
  #targetGauges(): void {
    // One status read per scrape, shared by every gauge: the first gauge collected starts it, the others wait on it.
    let pending: Promise<void> | undefined;
    const refresh = (): Promise<void> => {
      pending ??= this.#readTargets(gauges).finally(() => {
        pending = undefined;
      });
      return pending;
    };
    const gauge = (name: string, help: string) =>
      new Gauge({ name, help, labelNames: ["target"], registers: [this.registry], collect: refresh });
    const gauges: TargetGauges = {
      circuit: gauge(
        "ce_gateway_circuit_state",
        "Each target's circuit: 0 closed (or no breaker), 1 half-open, 2 open.",
      ),
      inFlight: gauge("ce_gateway_publish_in_flight", "Events being published to each target now."),
      depth: gauge("ce_gateway_outbox_depth", "Outbox records waiting for each target."),
      bytes: gauge("ce_gateway_outbox_bytes", "Bytes of the outbox records waiting for each target."),
      oldest: gauge(
        "ce_gateway_outbox_oldest_age_seconds",
        "How long the oldest outbox record waiting for each target has waited (0 when none waits).",
      ),
    };
  }

  async #readTargets(gauges: TargetGauges): Promise<void> {
    const gateway = this.#gateway;
    for (const g of Object.values(gauges)) g.reset();
    if (gateway === undefined) return;
    const status = withDeliveryStatus(await gateway.state.targets.status(), gateway.guards, gateway.outbox);
    for (const [target, entry] of Object.entries(status)) {
      gauges.circuit.set({ target }, CIRCUIT_VALUES[entry.delivery.circuit]);
      gauges.inFlight.set({ target }, entry.delivery.inFlight);
      if (entry.outbox !== undefined) {
        gauges.depth.set({ target }, entry.outbox.depth);
        gauges.bytes.set({ target }, entry.outbox.bytes);
        gauges.oldest.set({ target }, (entry.outbox.oldestAgeMs ?? 0) / 1000);
      }
    }
  }
}
