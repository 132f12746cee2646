/**
 * createGateway(config): the gateway as a Hono app that any runtime can serve
 * and any Hono app can mount (`app.route("/ingest", gateway)`).
 */
import { Hono } from "hono";
import type { Adapter, AdapterRuntime } from "../adapter/adapter.js";
import { portableRuntime } from "../adapter/default-runtime.js";
import { TargetRegistry } from "../adapter/target-registry.js";
import { compileRoutes } from "../config/compile-routes.js";
import {
  DEFAULT_DELIVERY_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  EMBEDDED_DEFAULT_CONFIG,
  type GatewayConfig,
} from "../config/gateway-config.js";
import { type Clock, systemClock } from "../context/request-context.js";
import { createSyncDelivery } from "../deliver/delivery-layer.js";
import { GatewayError } from "../errors/errors.js";
import { asGatewayError, problemResponse } from "../errors/problem-response.js";
import { combineObservers, type Observer, silentObserver } from "../observe/observer.js";
import { acceptAllEvents, type EventValidator } from "../validate/event-validator.js";
import { eventsHandler } from "./events-handler.js";
import { webhookHandshake } from "./webhook-handshake.js";

export interface GatewayOptions {
  /** Receives every stage's reports (logs, metrics). */
  readonly observer?: Observer;
  readonly clock?: Clock;
  /** Request ids for requests that bring none (`x-request-id`). */
  readonly newId?: () => string;
  /** Runtime services for adapters (the Node entry supplies process.stdout). */
  readonly runtime?: Partial<AdapterRuntime>;
  /** Ready-made adapters by target name; they take the place of configured ones. */
  readonly targets?: Readonly<Record<string, Adapter>>;
  /** The data-contract check (the schema registry); default: every event passes. */
  readonly validator?: EventValidator;
}

export interface GatewayHandle {
  readonly targets: TargetRegistry;
  /** Marks the gateway as shutting down: /readyz answers 503 from now on. */
  drain(): void;
  /** Closes every target's connections. Idempotent. */
  close(): Promise<void>;
}

export type Gateway = Hono & GatewayHandle;

export function createGateway(
  config: GatewayConfig = EMBEDDED_DEFAULT_CONFIG,
  options: GatewayOptions = {},
): Gateway {
  // Wrapped so an observer that throws can never fail a request.
  const observer = combineObservers(options.observer ?? silentObserver);
  const targets = new TargetRegistry(
    config.targets ?? {},
    { ...portableRuntime, ...options.runtime },
    options.targets ?? {},
  );
  const routes = compileRoutes(config.routes ?? [], targets);
  let draining = false;

  const handleEvents = eventsHandler({
    maxBodyBytes: config.server?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    deliveryTimeoutMs: config.delivery?.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
    routes,
    unmatched: config.unmatched ?? "reject",
    targets,
    validator: options.validator ?? acceptAllEvents,
    delivery: createSyncDelivery(targets, observer),
    observer,
    clock: options.clock ?? systemClock,
    newId: options.newId ?? (() => crypto.randomUUID()),
  });
  const handleHandshake = webhookHandshake(config.ingest?.webhook);

  const app = new Hono();
  app.post("/events", (c) => handleEvents(c.req.raw));
  app.options("/events", (c) => handleHandshake(c.req.raw));
  app.all("/events", () =>
    problemResponse(
      new GatewayError("method-not-allowed", "Send events with POST", {
        headers: { allow: "POST, OPTIONS" },
      }),
    ),
  );
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", (c) => (draining ? c.json({ status: "draining" }, 503) : c.json({ status: "ready" })));
  app.get("/status", async (c) => c.json({ ready: !draining, targets: await targets.status() }));
  app.notFound((c) => problemResponse(new GatewayError("not-found", `No resource at ${c.req.path}`)));
  app.onError((thrown) => problemResponse(asGatewayError(thrown)));

  return Object.assign(app, {
    targets,
    drain() {
      draining = true;
    },
    close: () => targets.close(),
  });
}
