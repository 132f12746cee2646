/**
 * The limits a config asks for, as bucket sizes and refill rates: the
 * `auth.rateLimits` (per second) and the rate the webhook handshake grants
 * each origin (`ingest.webhook.allowedRate`, per minute).
 */
import type { RateLimitConfig } from "../auth/auth-config.js";
import type { GatewayConfig } from "../config/gateway-config.js";
import type { RateLimit } from "./token-bucket.js";

export interface RateLimits {
  readonly global?: RateLimit;
  readonly perCredential?: RateLimit;
  /** For POST /events, by the origin the sender names: the rate OPTIONS /events grants. */
  readonly webhookOrigin?: RateLimit;
}

/** Default burst: one second's worth, and never less than one request. */
const bucketOf = (config: RateLimitConfig): RateLimit => ({
  rate: config.rate,
  burst: config.burst ?? Math.max(1, config.rate),
});

/**
 * The handshake grants N requests a minute: a bucket of N that refills N a
 * minute, so an origin may send a minute's worth at once, then N/60 a second.
 */
const perMinute = (requests: number): RateLimit => ({ rate: requests / 60, burst: requests });

export function rateLimitsOf(config: GatewayConfig): RateLimits {
  const limits = config.auth?.rateLimits;
  const allowedRate = config.ingest?.webhook?.allowedRate;
  return {
    ...(limits?.global && { global: bucketOf(limits.global) }),
    ...(limits?.perCredential && { perCredential: bucketOf(limits.perCredential) }),
    ...(allowedRate !== undefined && { webhookOrigin: perMinute(allowedRate) }),
  };
}

export const hasRateLimits = (limits: RateLimits): boolean =>
  limits.global !== undefined || limits.perCredential !== undefined || limits.webhookOrigin !== undefined;
