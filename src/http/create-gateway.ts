/**
 * createGateway(config, options): the gateway as a Hono app that any runtime can serve
 * and any Hono app can mount (`app.route("/ingest", gateway)`), with hot
 * reload: `gateway.reload(config)` swaps in a new generation atomically.
 */
import { Hono } from "hono";
import type { Adapter, AdapterRuntime } from "../adapter/adapter.js";
import type { TargetCatalog } from "../adapter/catalog.js";
import { portableRuntime } from "../adapter/default-runtime.js";
import { TargetRegistry, type TargetStatus } from "../adapter/target-registry.js";
import type { GatewayConfig } from "../config/gateway-config.js";
import { type Clock, systemClock } from "../context/request-context.js";
import type { IngressRequest } from "../decode/ingress-request.js";
import { type DedupStoreOpener, DedupStores } from "../deliver/dedup/dedup-stores.js";
import { memoryDedupStore } from "../deliver/dedup/memory-dedup-store.js";
import type { Settle } from "../deliver/outbox/dispatch-batch.js";
import { dispatchRecords } from "../deliver/outbox/dispatch-records.js";
import { createDispatcher } from "../deliver/outbox/dispatcher.js";
import type { OutboxAppender, OutboxRecord, OutboxStore } from "../deliver/outbox/outbox-store.js";
import { type GuardStatus, TargetGuards } from "../deliver/target-guard.js";
import { GatewayError } from "../errors/errors.js";
import { asGatewayError, problemResponse } from "../errors/problem-response.js";
import type { BucketStore } from "../limits/bucket-store.js";
import { memoryBucketStore } from "../limits/memory-bucket-store.js";
import { combineObservers, type Observer, silentObserver } from "../observe/observer.js";
import { SecretRedactor } from "../observe/redact.js";
import type { GatewayReply } from "../respond/reply.js";
import { builtInSources } from "../sources/catalog.js";
import type { SourceCatalog } from "../sources/source.js";
import { acceptAllEvents, type EventValidator } from "../validate/event-validator.js";
import { withCorsResponse } from "./cors/with-cors.js";
import { buildState, type GatewayState, type StableDeps } from "./gateway-state.js";
import { redactReply, redactResponse } from "./redacted-replies.js";
import { requestIdHeader } from "./request-id-header.js";
import { replyResponse, requestIngress } from "./web-ingress.js";

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
  /**
   * The target types the config may name. The core knows none: an entry
   * composes them (`nodeTargets`, `workersTargets`, your own adapters).
   */
  readonly targetTypes?: TargetCatalog;
  /** The source types `ingest.sources` may name; default: the built-in ones (json, github, standard-webhooks, hmac). */
  readonly sourceTypes?: SourceCatalog;
  /**
   * Where rate-limit buckets live (`auth.rateLimits`, the handshake's rate);
   * default: this process's memory, at most 10,000 buckets (the Worker keeps
   * them in Durable Objects).
   */
  readonly buckets?: BucketStore;
  /**
   * Learns the secrets of every config loaded, and redacts problem bodies and
   * `/status`; pass the one the entry's logger uses, so logs know them too.
   */
  readonly secrets?: SecretRedactor;
  /**
   * Opens the dedup store `delivery.dedup.store` names; default: memory only
   * (the Node entry adds nats-kv, the Worker durable-object).
   */
  readonly dedupStores?: DedupStoreOpener;
  /**
   * The outbox `delivery.outbox` names, opened by the entry (Node: the local
   * log); the gateway then owns it: its dispatcher delivers what waits there,
   * and close() stops both. Absent: a route with `ack: async` is refused.
   */
  readonly outbox?: OutboxStore;
  /**
   * An outbox something else drains, in place of `outbox`: the Worker's
   * Cloudflare Queue, whose messages the platform hands to the Worker's
   * `queue()` handler, which delivers them with `dispatchOutbox`. The
   * gateway only appends to it, and close() closes it.
   */
  readonly outboxQueue?: OutboxAppender;
  /** How long close() lets the dispatcher's attempts in flight finish; default 10 s. */
  readonly shutdownGraceMs?: number;
}

export interface GatewayHandle {
  /** The current generation (1 at start, +1 per successful reload). */
  readonly state: GatewayState;
  /**
   * Swaps in a new config. Throws ConfigError, keeping the current one, when it
   * is invalid. Requests in flight finish on the old generation; adapters the
   * new one no longer uses are closed once they are done.
   */
  reload(config: GatewayConfig): number;
  /**
   * POST /events as data, for servers that read requests and write replies
   * themselves (the Node entry); the app's own route calls it too.
   */
  handleEvents(request: IngressRequest): Promise<GatewayReply>;
  /**
   * POST to a source's path as data, likewise; undefined when the current
   * config has no source at `path` (then the request is the app's to answer).
   */
  handleSource(path: string, request: IngressRequest): Promise<GatewayReply> | undefined;
  /** Marks the gateway as shutting down: /readyz answers 503 from now on. */
  drain(): void;
  /** Closes every target's connections. Idempotent. */
  close(): Promise<void>;
  /** Knows the secrets of every config this gateway has loaded. */
  readonly secrets: SecretRedactor;
  /** Each target's in-flight count and circuit (what /status shows). */
  readonly guards: TargetGuards;
  /** The outbox this gateway's own dispatcher drains (`outbox`); undefined without one. */
  readonly outbox: OutboxStore | undefined;
  /**
   * Gives records taken from an outbox one attempt each, on the current
   * config, with the same policy and dead letters as the gateway's own
   * dispatcher; `settle` hears once per record what becomes of it. For an
   * outbox the gateway does not drain itself (`outboxQueue`).
   */
  dispatchOutbox(records: readonly OutboxRecord[], settle: Settle): Promise<void>;
}

export type Gateway = Hono & GatewayHandle;

/** Counts the requests of one generation, so its retired adapters close only when idle. */
class InFlight {
  #count = 0;
  #idle: (() => void)[] = [];
  enter() {
    this.#count++;
  }
  leave() {
    this.#count--;
    if (this.#count === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }
  whenIdle(): Promise<void> {
    return this.#count === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }
}

/**
 * The request's path as the gateway's own config names it: without the
 * prefix of an app the gateway is mounted in (`app.route("/ingest", gateway)`
 * registers this catch-all as "/ingest/*").
 */
function pathWithinGateway(path: string, routePath: string): string {
  const prefix = routePath.endsWith("/*") ? routePath.slice(0, -2) : "";
  return prefix !== "" && path.startsWith(prefix) ? path.slice(prefix.length) || "/" : path;
}

const DISPATCH_CONCURRENCY = 256;
const DISPATCH_POLL_MS = 100;
const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** What /status says of a target's outbox records: how many, how large, how long the oldest has waited. */
export interface OutboxStatus {
  readonly depth: number;
  readonly bytes: number;
  readonly oldestAgeMs: number | null;
}

type DeliveryStatus = TargetStatus & { readonly delivery: GuardStatus; readonly outbox?: OutboxStatus };

/** Target status with each target's delivery guard (circuit, in flight, failures) and outbox depth. */
export function withDeliveryStatus(
  status: Record<string, TargetStatus>,
  guards: TargetGuards,
  outbox?: OutboxStore,
): Record<string, DeliveryStatus> {
  const waiting = outbox?.stats();
  const now = Date.now();
  const merged: Record<string, DeliveryStatus> = {};
  for (const [name, entry] of Object.entries(status)) {
    const stats = waiting?.get(name);
    const oldest = stats?.oldestAcceptedAt;
    merged[name] = {
      ...entry,
      delivery: guards.status(name),
      ...(waiting !== undefined && {
        outbox: {
          depth: stats?.depth ?? 0,
          bytes: stats?.bytes ?? 0,
          oldestAgeMs: oldest === undefined ? null : Math.max(0, now - oldest),
        },
      }),
    };
  }
  return merged;
}

/** The core's dedup store: memory, for one instance. */
export const memoryDedupStores =
  (clock: Clock): DedupStoreOpener =>
  (config) =>
    config.store.type === "memory" ? memoryDedupStore({ ...config, clock }) : undefined;

/** Target status with errors redacted (target names are the config's, never secret). */
export function redactedStatus(
  status: Record<string, TargetStatus>,
  secrets: SecretRedactor,
): Record<string, TargetStatus> {
  const redacted: Record<string, TargetStatus> = {};
  for (const [name, entry] of Object.entries(status)) {
    redacted[name] = entry.error === undefined ? entry : { ...entry, error: secrets.text(entry.error) };
  }
  return redacted;
}

export function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Gateway {
  if (options.outbox !== undefined && options.outboxQueue !== undefined)
    throw new TypeError("createGateway takes an outbox or an outboxQueue, not both");
  const secrets = (options.secrets ?? new SecretRedactor()).learn(config);
  const deps: StableDeps = {
    // Wrapped so an observer that throws can never fail a request.
    observer: combineObservers(options.observer ?? silentObserver),
    clock: options.clock ?? systemClock,
    newId: options.newId ?? (() => crypto.randomUUID()),
    runtime: { ...portableRuntime(), ...options.runtime },
    validator: options.validator ?? acceptAllEvents,
    catalog: options.targetTypes ?? {},
    sourceTypes: options.sourceTypes ?? builtInSources,
    buckets: options.buckets ?? memoryBucketStore(options.clock ?? systemClock),
    guards: new TargetGuards(options.clock ?? systemClock),
    dedupStores: new DedupStores(options.dedupStores ?? memoryDedupStores(options.clock ?? systemClock)),
    outbox: options.outbox ?? options.outboxQueue,
    outboxAppended: () => dispatcher?.kick(),
  };
  // The dispatcher reads the current generation at each dispatch: waiting records go where the newest config says.
  const dispatcher =
    options.outbox === undefined
      ? undefined
      : createDispatcher({
          store: options.outbox,
          current: () => current,
          guards: deps.guards,
          observer: deps.observer,
          timers: deps.runtime.deadlines,
          clock: deps.clock,
          maxConcurrent: DISPATCH_CONCURRENCY,
          pollMs: DISPATCH_POLL_MS,
        });
  const firstTargets = new TargetRegistry(
    config.targets ?? {},
    deps.runtime,
    options.targets ?? {},
    deps.catalog,
  );
  let current = buildState(1, config, firstTargets, deps);
  dispatcher?.start();
  let inFlight = new InFlight();
  let draining = false;
  /** Older generations still finishing requests; each releases its adapters once idle. */
  const retiring = new Set<Promise<void>>();

  /** Runs a request on the generation current when it arrived. */
  const onCurrent = async <T>(handle: (state: GatewayState) => T | Promise<T>): Promise<T> => {
    const state = current;
    const counter = inFlight;
    counter.enter();
    try {
      return await handle(state);
    } finally {
      counter.leave();
    }
  };

  const app = new Hono();
  app.use("*", requestIdHeader(deps.newId));
  app.use("*", async (c, next) => {
    await next();
    c.res = await redactResponse(c.res, secrets);
  });
  app.post("/events", async (c) => replyResponse(await handle.handleEvents(requestIngress(c.req.raw))));
  app.options("/events", (c) => onCurrent((state) => state.handleOptions("/events", c.req.raw)));
  app.all("/events", (c) =>
    withCorsResponse(
      current.cors.get("/events"),
      c.req.raw,
      problemResponse(
        new GatewayError("method-not-allowed", "Send events with POST", {
          headers: { allow: "POST, OPTIONS" },
        }),
      ),
    ),
  );
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  // Ready means able to accept: not draining, and the outbox (when there is one) can store.
  // A target being down does not make the gateway unready: it shows in /status.
  app.get("/readyz", (c) => {
    if (draining) return c.json({ status: "draining" }, 503);
    const outboxDown = deps.outbox?.unavailable?.();
    if (outboxDown !== undefined) return c.json({ status: "unavailable", reason: outboxDown }, 503);
    return c.json({ status: "ready" });
  });
  app.get("/status", async (c) => {
    const state = current;
    return c.json({
      ready: !draining,
      generation: state.generation,
      targets: withDeliveryStatus(
        redactedStatus(await state.targets.status(), secrets),
        deps.guards,
        options.outbox,
      ),
      ...(dispatcher !== undefined && { dispatcher: dispatcher.stats() }),
    });
  });
  // Sources' paths change with the config, so one route looks them up in the current generation.
  app.all("*", async (c) => {
    const path = pathWithinGateway(c.req.path, c.req.routePath);
    const found = current.findSource(path);
    if (found === undefined)
      return problemResponse(new GatewayError("not-found", `No resource at ${c.req.path}`));
    if (c.req.method === "OPTIONS") return current.handleOptions(found.template, c.req.raw);
    if (c.req.method !== "POST") {
      return withCorsResponse(
        current.cors.get(found.template),
        c.req.raw,
        problemResponse(
          new GatewayError("method-not-allowed", "Send webhooks with POST", { headers: { allow: "POST" } }),
        ),
      );
    }
    const reply = handle.handleSource(path, requestIngress(c.req.raw));
    return reply === undefined
      ? problemResponse(new GatewayError("not-found", `No resource at ${c.req.path}`))
      : replyResponse(await reply);
  });
  app.notFound((c) => problemResponse(new GatewayError("not-found", `No resource at ${c.req.path}`)));
  app.onError((thrown) => problemResponse(asGatewayError(thrown)));

  const handle: GatewayHandle = {
    get state() {
      return current;
    },
    reload(next) {
      secrets.learn(next);
      const targets = current.targets.successor(next.targets ?? {});
      let state: GatewayState;
      try {
        state = buildState(current.generation + 1, next, targets, deps);
      } catch (error) {
        void targets.release();
        throw error;
      }
      const previous = { state: current, inFlight };
      current = state;
      inFlight = new InFlight();
      const retired = previous.inFlight.whenIdle().then(() => previous.state.targets.release());
      retiring.add(retired);
      void retired.finally(() => retiring.delete(retired));
      return state.generation;
    },
    async handleEvents(request) {
      return redactReply(await onCurrent((state) => state.handleEvents(request)), secrets);
    },
    handleSource(path, request) {
      const state = current;
      const found = state.findSource(path);
      const handleSource = found === undefined ? undefined : state.sourceHandlers.get(found.template);
      if (found === undefined || handleSource === undefined) return undefined;
      const counter = inFlight;
      counter.enter();
      return handleSource(request, found.params)
        .then((reply) => redactReply(reply, secrets))
        .finally(() => counter.leave());
    },
    drain() {
      draining = true;
    },
    async close() {
      await dispatcher?.stop(options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
      await deps.outbox?.close();
      await Promise.allSettled([...retiring]);
      await current.targets.release();
      await deps.dedupStores.close();
    },
    dispatchOutbox(records, settle) {
      const dispatch = {
        ...deps,
        current: () => current,
        timers: deps.runtime.deadlines,
        random: Math.random,
        minDelayMs: DISPATCH_POLL_MS,
      };
      // Nothing cuts these attempts short: the caller (a queue consumer) waits for them all.
      return dispatchRecords(records, dispatch, new AbortController().signal, settle);
    },
    guards: deps.guards,
    outbox: options.outbox,
    secrets,
  };
  return Object.defineProperties(app, Object.getOwnPropertyDescriptors(handle)) as Gateway;
}
