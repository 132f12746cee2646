/**
 * The Cloudflare Workers entry: the runtime-neutral core composed with the
 * target types a Worker can run, the config and schemas that
 * `ce-gateway build --target workers` compiled in, and settings from the
 * Worker's environment. The gateway is built on the first request (the
 * environment arrives with it) and kept for the isolate's life; a setting
 * that is missing is answered with a problem naming it, not a crash.
 */
import { ConfigError } from "../../config/config-error.js";
import type { DedupStoreOpener } from "../../deliver/dedup/dedup-stores.js";
import { memoryDedupStore } from "../../deliver/dedup/memory-dedup-store.js";
import { GatewayError } from "../../errors/errors.js";
import { problemResponse } from "../../errors/problem-response.js";
import { createGateway, type Gateway } from "../../http/create-gateway.js";
import { redactResponse } from "../../http/redacted-replies.js";
import { hasRateLimits, rateLimitsOf } from "../../limits/rate-limits.js";
import type { Logger } from "../../observe/log-observer.js";
import { logObserver } from "../../observe/log-observer.js";
import { combineObservers } from "../../observe/observer.js";
import { SecretRedactor } from "../../observe/redact.js";
import { redactingLogger } from "../../observe/redacting-logger.js";
import { precompiledCompiler } from "../../schemas/precompiled-compiler.js";
import { registryValidator } from "../../schemas/registry-validator.js";
import { SchemaRegistry } from "../../schemas/schema-registry.js";
import { analyticsEngineObserver, isAnalyticsEngineDataset } from "./analytics-engine-metrics.js";
import { consoleLogger } from "./console-logger.js";
import { type DedupNamespace, dedupStoreViaDurableObject } from "./dedup-via-durable-object.js";
import type { NatsConnectionNamespace } from "./nats-via-durable-object.js";
import { consumeOutboxBatch } from "./queue-consumer.js";
import { queueOutbox } from "./queue-outbox.js";
import { isQueueProducer, type MessageBatch, type QueueProducer } from "./queue-types.js";
import { durableObjectBucketStore, type RateLimitNamespace } from "./rate-limits-via-durable-object.js";
import { workersTargets } from "./targets.js";
import { resolveSettings, type WorkerBuild } from "./worker-build.js";

export { DedupObject } from "./dedup-object.js";
export { NatsConnectionObject } from "./nats-connection-object.js";
export { RateLimitObject } from "./rate-limit-object.js";
export type { WorkerBuild } from "./worker-build.js";

/** The bindings the Worker reads: string vars and secrets for `${env:}`, the Durable Objects, LOG_LEVEL. */
export interface WorkerEnv {
  readonly NATS?: NatsConnectionNamespace;
  /** Needed only when the config sets rate limits (auth.rateLimits, ingest.webhook.allowedRate). */
  readonly RATE_LIMITS?: RateLimitNamespace;
  /** Needed only when the config keeps dedup records in Durable Objects (delivery.dedup.store.type: durable-object). */
  readonly DEDUP?: DedupNamespace;
  /** The outbox queue's producer (delivery.outbox.type: queue; its `binding`, OUTBOX by default). */
  readonly OUTBOX?: QueueProducer;
  /** An Analytics Engine dataset: when bound, the gateway's counters are written to it as data points. */
  readonly METRICS?: unknown;
  readonly LOG_LEVEL?: string;
  readonly [setting: string]: unknown;
}

export interface GatewayWorker {
  fetch(request: Request, env: WorkerEnv): Promise<Response>;
  /** Delivers what the outbox queue holds (delivery.outbox.type: queue). */
  queue(batch: MessageBatch, env: WorkerEnv): Promise<void>;
}

/** The gateway a Worker opened, with what its queue consumer needs. */
interface OpenedGateway {
  readonly gateway: Gateway;
  readonly logger: Logger;
  /** The outbox queue's producer; undefined when the config has no queue outbox. */
  readonly outboxQueue: QueueProducer | undefined;
}

function incomplete(detail: string, errors: { pointer: string; detail: string }[]): GatewayError {
  return new GatewayError("deployment-incomplete", detail, {
    failures: errors.map((e) => ({ pointer: e.pointer, code: "unresolved-setting", detail: e.detail })),
  });
}

function openGateway(
  build: WorkerBuild,
  env: WorkerEnv,
  secrets: SecretRedactor,
): OpenedGateway | GatewayError {
  const logger = redactingLogger(consoleLogger(env.LOG_LEVEL), secrets);
  const resolved = resolveSettings(build.config, env);
  // The settings' values are the secrets `${env:}` brought in: known before anything is logged.
  if (resolved.ok) secrets.learn(resolved.config);
  if (!resolved.ok) {
    const errors = resolved.unresolved.map((u) => ({ pointer: u.path, detail: u.message }));
    logger.warn({ unresolved: errors }, "the Worker's settings are incomplete; requests get 503");
    return incomplete("The config names settings this Worker's environment does not have", errors);
  }
  const validator = build.schemas
    ? registryValidator(
        new SchemaRegistry(precompiledCompiler(build.schemas.compiled), build.schemas.versions),
        {
          mode: resolved.config.schemas?.mode ?? "enforce",
          requireSchema: resolved.config.schemas?.requireSchema ?? false,
          types: resolved.config.schemas?.types ?? {},
        },
      )
    : undefined;
  // Buckets in an isolate's memory would each allow the whole rate: without the object, refuse to run.
  if (hasRateLimits(rateLimitsOf(resolved.config)) && env.RATE_LIMITS === undefined) {
    const errors = [
      { pointer: "RATE_LIMITS", detail: "the config sets rate limits: bind RateLimitObject as RATE_LIMITS" },
    ];
    logger.warn({ unresolved: errors }, "the Worker's settings are incomplete; requests get 503");
    return incomplete("The config sets rate limits and the Worker has no RATE_LIMITS binding", errors);
  }
  if (resolved.config.delivery?.dedup?.store?.type === "durable-object" && env.DEDUP === undefined) {
    const errors = [
      {
        pointer: "DEDUP",
        detail: "the config keeps dedup records in Durable Objects: bind DedupObject as DEDUP",
      },
    ];
    logger.warn({ unresolved: errors }, "the Worker's settings are incomplete; requests get 503");
    return incomplete(
      "The config sets a durable-object dedup store and the Worker has no DEDUP binding",
      errors,
    );
  }
  const outbox = resolved.config.delivery?.outbox;
  const binding = outbox?.type === "queue" ? (outbox.binding ?? "OUTBOX") : undefined;
  const outboxQueue = binding === undefined ? undefined : env[binding];
  if (binding !== undefined && !isQueueProducer(outboxQueue)) {
    const errors = [
      {
        pointer: binding,
        detail: `the config keeps its outbox in a Cloudflare Queue: bind the queue's producer as ${binding}`,
      },
    ];
    logger.warn({ unresolved: errors }, "the Worker's settings are incomplete; requests get 503");
    return incomplete(
      `The config sets a queue outbox and the Worker has no ${binding} queue binding`,
      errors,
    );
  }
  // Metrics cost nothing unless a dataset is bound: the logs already carry every report.
  let opened: Gateway | undefined;
  const observer = isAnalyticsEngineDataset(env.METRICS)
    ? combineObservers(
        logObserver(logger),
        analyticsEngineObserver(env.METRICS, () => opened),
      )
    : logObserver(logger);
  try {
    const gateway = createGateway(resolved.config, {
      ...(isQueueProducer(outboxQueue) && { outboxQueue: queueOutbox(outboxQueue) }),
      dedupStores: workersDedupStores(env.DEDUP),
      targetTypes: workersTargets(env.NATS),
      observer,
      ...(env.RATE_LIMITS && { buckets: durableObjectBucketStore(env.RATE_LIMITS) }),
      secrets,
      ...(validator && { validator }),
    });
    opened = gateway;
    return { gateway, logger, outboxQueue: isQueueProducer(outboxQueue) ? outboxQueue : undefined };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const errors = error.issues.map((i) => ({ pointer: i.path, detail: i.message }));
    logger.warn({ issues: errors }, "the config is invalid with this Worker's settings; requests get 503");
    return incomplete("The config is invalid with this Worker's settings", errors);
  }
}

/**
 * The dedup stores a Worker can open: a Durable Object (shared by every
 * isolate, so a repeat is caught wherever it lands) or memory (this isolate
 * only: a repeat served by another isolate is delivered again).
 */
const workersDedupStores =
  (namespace: DedupNamespace | undefined): DedupStoreOpener =>
  (config) => {
    if (config.store.type === "memory") return memoryDedupStore(config);
    if (config.store.type === "durable-object" && namespace !== undefined)
      return dedupStoreViaDurableObject(namespace, { windowMs: config.windowMs });
    return undefined;
  };

/** The Worker's handlers for a build (what the generated main module exports as default). */
export function createWorker(build: WorkerBuild): GatewayWorker {
  let opened: OpenedGateway | GatewayError | undefined;
  const secrets = new SecretRedactor().learn(build.config);
  // Retried on every call until it opens: setting a missing secret redeploys, but a fix is a fix.
  const open = (env: WorkerEnv): OpenedGateway | GatewayError => {
    if (opened === undefined || opened instanceof GatewayError) opened = openGateway(build, env, secrets);
    return opened;
  };
  return {
    async fetch(request, env) {
      const worker = open(env);
      if (worker instanceof GatewayError) return redactResponse(problemResponse(worker), secrets);
      return worker.gateway.fetch(request);
    },
    async queue(batch, env) {
      const worker = open(env);
      if (worker instanceof GatewayError || worker.outboxQueue === undefined) {
        // Nothing can deliver them now: Queues keeps them and tries again (then its dead letter queue).
        const reason = worker instanceof GatewayError ? worker.message : "the config has no queue outbox";
        consoleLogger(env.LOG_LEVEL).warn(
          { queue: batch.queue, messages: batch.messages.length, reason },
          "outbox messages cannot be delivered by this Worker now; Queues retries them",
        );
        batch.retryAll({ delaySeconds: QUEUE_UNAVAILABLE_DELAY_SECONDS });
        return;
      }
      const { gateway, logger, outboxQueue } = worker;
      await consumeOutboxBatch(batch, {
        dispatch: (records, settle) => gateway.dispatchOutbox(records, settle),
        queue: outboxQueue,
        logger,
        now: Date.now,
      });
    },
  };
}

/** How long outbox messages wait when the Worker cannot deliver them (its settings are incomplete). */
const QUEUE_UNAVAILABLE_DELAY_SECONDS = 60;
