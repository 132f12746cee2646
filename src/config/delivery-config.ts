/**
 * The delivery settings a config may give, wherever they are written: on a
 * target (its retry policy, in-flight bound and circuit breaker), on a route
 * (a retry policy and time budget of its own, and its dead letter) and in the
 * `delivery` section (the request's budget and dedup). The keys on a target
 * belong to the delivery layer, not to the adapter: they are taken off before
 * the adapter is created, so changing them does not reconnect it.
 */
import type { TargetConfig } from "../adapter/target-registry.js";
import { BREAKER_DEFAULTS, type BreakerPolicy } from "../deliver/circuit-breaker.js";
import {
  DEFAULT_DEDUP_MAX_ENTRIES,
  DEFAULT_DEDUP_WINDOW_MS,
  type DedupConfig,
  type DedupStoreConfig,
} from "../deliver/dedup/dedup-store.js";
import type { RetryConfig } from "../deliver/delivery-policy.js";
import type { GuardPolicy } from "../deliver/target-guard.js";

export interface TargetDeliveryConfig {
  readonly retry?: RetryConfig;
  readonly maxInFlight?: number;
  readonly circuitBreaker?: Partial<BreakerPolicy>;
}

export interface RouteDeliveryConfig {
  readonly retry?: RetryConfig;
  /** This route's budget for all attempts of a request it matches (overrides delivery.timeoutMs). */
  readonly timeoutMs?: number;
  /** The target that takes an event a target of this route refuses for good. */
  readonly deadLetter?: string;
  /** async: 202 once the event is in the outbox (delivery.outbox), then delivered; sync (default): 202 once delivered. */
  readonly ack?: "sync" | "async";
  /** With ack: async, the template (`{subject}`) deliveries keep order by; default: the target's ordering key, else `{partitionkey}`. */
  readonly orderingKey?: string;
}

/**
 * Where asynchronously accepted events wait: a log on local disk (one Node
 * instance), or a JetStream stream several instances share.
 */
export type OutboxSectionConfig =
  | {
      readonly type: "log";
      /** The log's folder, relative to the config file. */
      readonly dir: string;
      readonly maxRecords?: number;
      readonly maxBytes?: number;
    }
  | {
      readonly type: "nats";
      readonly url?: string;
      readonly servers?: readonly string[];
      readonly stream: string;
      readonly shards?: number;
      /** How soon a dead instance's leased records go to another. */
      readonly ackWaitMs?: number;
      readonly maxRecords?: number;
      readonly maxBytes?: number;
    }
  | {
      /** Workers only: a Cloudflare Queue the same Worker consumes. */
      readonly type: "queue";
      /** The producer binding; default OUTBOX. */
      readonly binding?: string;
    };

export interface DedupSectionConfig {
  readonly windowMs?: number;
  readonly maxEntries?: number;
  readonly store?: DedupStoreConfig;
}

export interface DeliverySectionConfig {
  /** The budget for all attempts of one request, unless a matched route sets a shorter one. */
  readonly timeoutMs?: number;
  /** Absent: no dedup (each request is delivered as it comes). */
  readonly dedup?: DedupSectionConfig;
  /** Absent: no route may be `ack: async`. */
  readonly outbox?: OutboxSectionConfig;
}

/** The keys of a target's config that belong to the delivery layer. */
export const TARGET_DELIVERY_KEYS = ["retry", "maxInFlight", "circuitBreaker"] as const;

const DELIVERY_KEY_SET: ReadonlySet<string> = new Set(TARGET_DELIVERY_KEYS);

/** A target's options as its adapter sees them: without `type` and the delivery layer's keys. */
export function adapterOptionsOf(config: TargetConfig): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key !== "type" && !DELIVERY_KEY_SET.has(key)) options[key] = value;
  }
  return options;
}

/** The delivery layer's part of a target's config (valid by the config schema). */
export function targetDeliveryOf(config: TargetConfig): TargetDeliveryConfig {
  return config as TargetDeliveryConfig;
}

/** Each target's in-flight bound and circuit breaker, for the gateway's guards. */
export function guardPoliciesOf(
  targets: Readonly<Record<string, TargetConfig>>,
  names: readonly string[],
): Map<string, GuardPolicy> {
  const policies = new Map<string, GuardPolicy>();
  for (const name of names) {
    const target = targets[name];
    const delivery = target === undefined ? {} : targetDeliveryOf(target);
    policies.set(name, {
      ...(delivery.maxInFlight !== undefined && { maxInFlight: delivery.maxInFlight }),
      ...(delivery.circuitBreaker !== undefined && {
        breaker: { ...BREAKER_DEFAULTS, ...delivery.circuitBreaker },
      }),
    });
  }
  return policies;
}

/** The dedup settings with their defaults; undefined when `delivery.dedup` is absent. */
export function dedupConfigOf(delivery: DeliverySectionConfig | undefined): DedupConfig | undefined {
  const dedup = delivery?.dedup;
  if (dedup === undefined) return undefined;
  return {
    windowMs: dedup.windowMs ?? DEFAULT_DEDUP_WINDOW_MS,
    maxEntries: dedup.maxEntries ?? DEFAULT_DEDUP_MAX_ENTRIES,
    store: dedup.store ?? { type: "memory" },
  };
}
