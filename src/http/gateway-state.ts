/**
 * One generation of the gateway's configuration, compiled: targets, routing
 * and the pipeline built on them. A reload builds the next generation beside
 * the current one and swaps it in; requests keep the generation they started on.
 */
import type { AdapterRuntime } from "../adapter/adapter.js";
import type { TargetCatalog } from "../adapter/catalog.js";
import type { TargetRegistry } from "../adapter/target-registry.js";
import { createAdmission } from "../auth/admission.js";
import { configuredAuthenticators } from "../auth/authenticators.js";
import { compileRouting } from "../config/compile-routing.js";
import { ConfigError } from "../config/config-error.js";
import { dedupConfigOf, guardPoliciesOf } from "../config/delivery-config.js";
import {
  DEFAULT_DELIVERY_TIMEOUT_MS,
  DEFAULT_MAX_BATCH_EVENTS,
  DEFAULT_MAX_BODY_BYTES,
  type GatewayConfig,
} from "../config/gateway-config.js";
import { jsonLimitsOf } from "../config/json-limits-config.js";
import type { Clock } from "../context/request-context.js";
import { sourceDecoder } from "../decode/decode-source.js";
import type { IngressRequest } from "../decode/ingress-request.js";
import { withDedup } from "../deliver/dedup/dedup-delivery.js";
import type { DedupStore } from "../deliver/dedup/dedup-store.js";
import type { DedupStores } from "../deliver/dedup/dedup-stores.js";
import { createSyncDelivery, type DeliveryLayer } from "../deliver/delivery-layer.js";
import { withOutbox } from "../deliver/outbox/outbox-delivery.js";
import type { OutboxAppender } from "../deliver/outbox/outbox-store.js";
import type { TargetGuards } from "../deliver/target-guard.js";
import type { BucketStore } from "../limits/bucket-store.js";
import { createRateLimitStage } from "../limits/rate-limit-stage.js";
import { rateLimitsOf } from "../limits/rate-limits.js";
import type { Observer } from "../observe/observer.js";
import type { GatewayReply } from "../respond/reply.js";
import type { RoutingTable } from "../route/routing-table.js";
import { compileSources, type SourceLookup, sourceLookup } from "../sources/compile-sources.js";
import type { SourceCatalog } from "../sources/source.js";
import type { EventValidator } from "../validate/event-validator.js";
import { type CorsByPath, compileCors } from "./cors/compile-cors.js";
import { answerOptions } from "./cors/options-answer.js";
import { type PathHandler, withCors } from "./cors/with-cors.js";
import { eventsHandler, type PipelineDeps, pipelineHandler } from "./events-handler.js";
import { webhookHandshake } from "./webhook-handshake.js";

export interface StableDeps {
  readonly observer: Observer;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly runtime: AdapterRuntime;
  readonly validator: EventValidator;
  readonly catalog: TargetCatalog;
  readonly sourceTypes: SourceCatalog;
  /** Rate-limit buckets: kept across reloads, so a reload does not refill them. */
  readonly buckets: BucketStore;
  /** Each target's in-flight count and circuit: kept across reloads, so a reload does not close an open circuit. */
  readonly guards: TargetGuards;
  /** Dedup stores: kept across reloads while their settings stay the same. */
  readonly dedupStores: DedupStores;
  /** The outbox (`ack: async`), opened by the entry; undefined without one. */
  readonly outbox: OutboxAppender | undefined;
  /** Tells the dispatcher something was appended. */
  readonly outboxAppended: () => void;
}

export interface GatewayState {
  readonly generation: number;
  readonly config: GatewayConfig;
  readonly targets: TargetRegistry;
  readonly routing: RoutingTable;
  /** The deliver stage without dedup: what replaying dead letters delivers through. */
  readonly delivery: DeliveryLayer;
  readonly handleEvents: (request: IngressRequest) => Promise<GatewayReply>;
  /** Each source's pipeline, by its configured path (`/hooks/github`, or a template). */
  readonly sourceHandlers: ReadonlyMap<string, PathHandler>;
  /** The source a request path is for (its configured path, and the template's parts); undefined: none. */
  readonly findSource: SourceLookup;
  readonly handleHandshake: (request: Request) => Response;
  /** Each event path's CORS policy (/events and sources' paths); absent for a path without one. */
  readonly cors: CorsByPath;
  /** OPTIONS on an event path: a CORS preflight, the webhook handshake (/events, a source that asks), or both. */
  readonly handleOptions: (path: string, request: Request) => Response;
}

const withDedupIf = (store: DedupStore | undefined, layer: DeliveryLayer, observer: Observer) =>
  store === undefined ? layer : withDedup(layer, store, observer);

/**
 * The sources whose events are accepted asynchronously: those that say
 * `ack: async`, and, when an outbox is configured, those that say nothing
 * (webhook senders rarely redeliver: a slow target must not cost them).
 */
function asyncSourcePaths(config: GatewayConfig): Set<string> {
  const withOutbox = config.delivery?.outbox !== undefined;
  return new Set(
    (config.ingest?.sources ?? [])
      .filter((source) => (source.ack ?? (withOutbox ? "async" : "sync")) === "async")
      .map((source) => source.path),
  );
}

/** Compiles a config into a generation; throws ConfigError and changes nothing when it is invalid. */
export function buildState(
  generation: number,
  config: GatewayConfig,
  targets: TargetRegistry,
  deps: StableDeps,
): GatewayState {
  const routing = compileRouting(config, new Set(targets.names()), deps.catalog);
  const sources = compileSources(config.ingest?.sources, deps.sourceTypes);
  const cors = compileCors(config);
  targets.warmUp();
  const dedup = dedupConfigOf(config.delivery);
  // Opened before anything stable changes: a runtime without the store refuses the config as it is.
  const dedupStore = dedup === undefined ? undefined : deps.dedupStores.get(dedup);
  const asyncSources = asyncSourcePaths(config);
  const asyncRoutes = (config.routes ?? []).some((route) => route.ack === "async");
  if ((asyncRoutes || asyncSources.size > 0) && deps.outbox === undefined) {
    throw new ConfigError([
      {
        path: "delivery.outbox",
        message: "a route or source is ack: async, and this gateway was given no outbox to keep events in",
      },
    ]);
  }
  deps.guards.configure(guardPoliciesOf(config.targets ?? {}, targets.names()));
  const delivery = createSyncDelivery({
    targets,
    routing,
    guards: deps.guards,
    observer: deps.observer,
    timers: deps.runtime.deadlines,
  });
  const selfAuthenticated = new Set(
    [...sources].filter(([, source]) => source.verifiesSender).map(([path]) => path),
  );
  const pipeline: PipelineDeps = {
    admission: createAdmission(configuredAuthenticators(config.auth), selfAuthenticated),
    rateLimit: createRateLimitStage(rateLimitsOf(config), deps.buckets),
    maxBodyBytes: config.server?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxBatchEvents: config.server?.maxBatchEvents ?? DEFAULT_MAX_BATCH_EVENTS,
    jsonLimits: jsonLimitsOf(config),
    deliveryTimeoutMs: config.delivery?.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
    routing,
    targets,
    validator: deps.validator,
    delivery: withDedupIf(
      dedupStore,
      (asyncRoutes || asyncSources.size > 0) && deps.outbox !== undefined
        ? withOutbox(delivery, deps.outbox, deps.outboxAppended)
        : delivery,
      deps.observer,
    ),
    observer: deps.observer,
    clock: deps.clock,
    newId: deps.newId,
  };
  const sourceHandlers = new Map(
    [...sources].map(([path, source]) => [
      path,
      withCors(
        cors.get(path),
        pipelineHandler(pipeline, path, sourceDecoder(source, pipeline), {
          senderProvenInDecode: source.verifiesSender,
          acceptAsync: asyncSources.has(path),
          acceptedReply: source.acceptedReply?.bind(source),
        }),
        deps.observer,
      ),
    ]),
  );
  const handleHandshake = webhookHandshake(config.ingest?.webhook);
  return {
    generation,
    config,
    targets,
    routing,
    delivery,
    handleEvents: withCors(cors.get("/events"), eventsHandler(pipeline), deps.observer),
    sourceHandlers,
    findSource: sourceLookup(sources),
    handleHandshake,
    cors,
    handleOptions: (path, request) =>
      answerOptions(request, {
        cors: cors.get(path),
        handshake:
          path === "/events" || sources.get(path)?.answersWebhookHandshake === true
            ? handleHandshake
            : undefined,
      }),
  };
}
