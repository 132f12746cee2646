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
import { logObserver } from "../../observe/log-observer.js";
import { SecretRedactor } from "../../observe/redact.js";
import { redactingLogger } from "../../observe/redacting-logger.js";
import { precompiledCompiler } from "../../schemas/precompiled-compiler.js";
import { registryValidator } from "../../schemas/registry-validator.js";
import { SchemaRegistry } from "../../schemas/schema-registry.js";
import { consoleLogger } from "./console-logger.js";
import { type DedupNamespace, dedupStoreViaDurableObject } from "./dedup-via-durable-object.js";
import type { NatsConnectionNamespace } from "./nats-via-durable-object.js";
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
  readonly LOG_LEVEL?: string;
  readonly [setting: string]: unknown;
}

export interface GatewayWorker {
  fetch(request: Request, env: WorkerEnv): Promise<Response>;
}

function incomplete(detail: string, errors: { pointer: string; detail: string }[]): GatewayError {
  return new GatewayError("deployment-incomplete", detail, {
    failures: errors.map((e) => ({ pointer: e.pointer, code: "unresolved-setting", detail: e.detail })),
  });
}

function openGateway(build: WorkerBuild, env: WorkerEnv, secrets: SecretRedactor): Gateway | GatewayError {
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
  try {
    return createGateway(resolved.config, {
      dedupStores: workersDedupStores(env.DEDUP),
      targetTypes: workersTargets(env.NATS),
      observer: logObserver(logger),
      ...(env.RATE_LIMITS && { buckets: durableObjectBucketStore(env.RATE_LIMITS) }),
      secrets,
      ...(validator && { validator }),
    });
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

/** The Worker's fetch handler for a build (what the generated main module exports as default). */
export function createWorker(build: WorkerBuild): GatewayWorker {
  let opened: Gateway | GatewayError | undefined;
  const secrets = new SecretRedactor().learn(build.config);
  return {
    async fetch(request, env) {
      // Retried on every request until it opens: setting a missing secret redeploys, but a fix is a fix.
      if (opened === undefined || opened instanceof GatewayError) opened = openGateway(build, env, secrets);
      if (opened instanceof GatewayError) return redactResponse(problemResponse(opened), secrets);
      return opened.fetch(request);
    },
  };
}
